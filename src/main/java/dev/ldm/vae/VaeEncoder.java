package dev.ldm.vae;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.onnx.OnnxModel;
import dev.ldm.onnx.OnnxSessions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * A VAE encoder in ONNX (diffusers' export layout {@code vae_encoder/model.onnx}): input
 * {@code sample} [B, 3, H, W] in [-1, 1], output {@code latent_sample} [B, L, H/f, W/f], the raw
 * (unnormalised) latent. ldm's own export writes the posterior mean there. Exports that instead
 * output {@code latent_parameters} (mean and log-variance stacked on the channel axis) are
 * accepted too: their mean half is returned.
 */
public final class VaeEncoder extends OnnxModel {
    public static final String INPUT = "sample";
    public static final String OUTPUT = "latent_sample";
    public static final String MOMENTS_OUTPUT = "latent_parameters";
    private static final int IMAGE_CHANNELS = 3;

    private final String output;
    private final long[] declaredInput;

    private VaeEncoder(OrtSession session, String name, String output) {
        super(session, name, Set.of(INPUT), Set.of(output));
        this.output = output;
        this.declaredInput = inputShape(INPUT);
    }

    public static VaeEncoder open(Path file, Device device) {
        OrtSession s = OnnxSessions.open(file, device);
        boolean moments = !s.getOutputNames().contains(OUTPUT) && s.getOutputNames().contains(MOMENTS_OUTPUT);
        String output = moments ? MOMENTS_OUTPUT : OUTPUT;
        return new VaeEncoder(s, file.toString(), output);
    }

    /** images [B, 3, H, W] in [-1, 1] → raw latents [B, L, H/f, W/f]. */
    public Tensor encode(Tensor images) {
        OnnxChecks.requireNchw(name(), "images", images.shape(), declaredInput, IMAGE_CHANNELS);
        Tensor out;
        try (OnnxTensor in = floatInput(images)) {
            out = runFloat(Map.of(INPUT, in), output);
        }
        return output.equals(MOMENTS_OUTPUT) ? firstHalfOfChannels(out) : out;
    }

    /** [B, 2L, h, w] → [B, L, h, w]. */
    private static Tensor firstHalfOfChannels(Tensor t) {
        long[] s = t.shape();
        int b = (int) s[0];
        int per = (int) (s[1] / 2 * s[2] * s[3]);
        float[] out = new float[b * per];
        for (int i = 0; i < b; i++) {
            System.arraycopy(t.data(), i * 2 * per, out, i * per, per);
        }
        long[] shape = Arrays.copyOf(s, 4);
        shape[1] = s[1] / 2;
        return new Tensor(shape, out);
    }
}
