package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Safetensors;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * ldm's KL autoencoder (stage one of latent diffusion): a convolutional encoder to a Gaussian
 * posterior over a latent {@code downsampleFactor} times smaller per side, and a decoder back to
 * pixels. Built only from convolutions, SiLU, additions and nearest upsampling, so that
 * {@link VaeOnnxExport} can write it as plain ONNX that ONNX Runtime runs at generation time.
 *
 * <p>Images are NCHW RGB in [-1, 1]. Parameter names: {@code encoder.*}, {@code decoder.*}.
 */
public final class Autoencoder extends Module {
    public static final String WEIGHTS = "weights.safetensors";
    /** Log-variance clamp, as in Stable Diffusion's DiagonalGaussianDistribution. */
    public static final float LOGVAR_MIN = -30f;
    public static final float LOGVAR_MAX = 20f;

    private final NDManager manager;
    private final VaeConfig config;
    private final Encoder encoder;
    private final Decoder decoder;

    /** A freshly initialised autoencoder; the same seed gives the same weights. */
    public Autoencoder(NDManager m, VaeConfig config, long seed) {
        Rng rng = Rng.stream(seed, "vae-init");
        this.manager = m;
        this.config = config;
        this.encoder = child("encoder", new Encoder(m, rng, config));
        this.decoder = child("decoder", new Decoder(m, rng, config));
    }

    public VaeConfig config() {
        return config;
    }

    /** The manager holding the parameters (inputs should live there too). */
    public NDManager manager() {
        return manager;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder decoder() {
        return decoder;
    }

    /** x [B, 3, H, W] in [-1, 1] → (mean, logvar), each [B, L, H/f, W/f]. */
    public NDList encode(NDArray x) {
        checkImages(x.getShape().getShape());
        NDArray moments = encoder.forward(x);                 // [B, 2L, h, w]
        NDList parts = moments.split(2, 1);                   // 2 × [B, L, h, w]
        NDArray logvar = parts.get(1).clip(LOGVAR_MIN, LOGVAR_MAX);
        return new NDList(parts.get(0), logvar);
    }

    /** z [B, L, h, w] → images [B, 3, h·f, w·f] (unclamped). */
    public NDArray decode(NDArray z) {
        long[] s = z.getShape().getShape();
        if (s.length != 4 || s[1] != config.latentChannels()) {
            throw LdmException.badInput("VAE decode: latents must be [B, " + config.latentChannels()
                    + ", h, w], got " + z.getShape());
        }
        return decoder.forward(z);
    }

    private void checkImages(long[] s) {
        int f = config.downsampleFactor();
        if (s.length != 4 || s[1] != config.imageChannels() || s[2] % f != 0 || s[3] % f != 0 || s[2] == 0 || s[3] == 0) {
            throw LdmException.badInput("VAE encode: images must be [B, " + config.imageChannels()
                    + ", H, W] with H and W positive multiples of " + f + ", got " + java.util.Arrays.toString(s));
        }
    }

    /** Writes {@code dir/config.json} and {@code dir/weights.safetensors} (F32). */
    public void save(Path dir, Map<String, String> metadata) {
        config.save(dir);
        Safetensors.write(dir.resolve(WEIGHTS), stateDict(), metadata, Safetensors.DType.F32);
    }

    /** Reads a folder written by {@link #save}; a weights file of another architecture is refused. */
    public static Autoencoder load(NDManager m, Path dir) {
        VaeConfig config = VaeConfig.load(dir);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw LdmException.badInput(dir + ": no " + WEIGHTS + " in this VAE folder");
        }
        Autoencoder vae = new Autoencoder(m, config, 0);
        vae.loadStateDict(Safetensors.read(weights), weights.toString());
        return vae;
    }
}
