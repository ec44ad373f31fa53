package dev.ldm.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.LdmException;
import dev.ldm.flow.ClassifierFreeGuidance;
import dev.ldm.flow.Sampler;
import dev.ldm.flow.Samplers;
import dev.ldm.flow.Schedule;
import dev.ldm.flow.StepListener;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import dev.ldm.util.Rng;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Text to image with a loaded model: text encoder (ONNX) → sampler over the DiT (DJL) with
 * classifier-free guidance → VAE decoder (ONNX). Loads each part once; {@link #generate} may be
 * called many times. The sampling loop lives in the sampler, not here.
 */
public final class Generator implements AutoCloseable {
    private final NDManager manager;
    private final DiT dit;
    private final TextEncoder text;
    private final VaeDecoder decoder;
    private final ModelManifest.VaeSpec vae;
    private final LatentNormalization norm;
    private final boolean owner;

    private Generator(NDManager manager, DiT dit, TextEncoder text, VaeDecoder decoder, ModelManifest.VaeSpec vae,
            boolean owner) {
        this.manager = manager;
        this.dit = dit;
        this.text = text;
        this.decoder = decoder;
        this.vae = vae;
        this.norm = new LatentNormalization(vae.scalingFactor(), vae.shiftFactor());
        this.owner = owner;
    }

    /**
     * A generator over parts the caller owns and closes (training samples with its EMA weights).
     * {@code manager} holds the per-call arrays and stays open.
     */
    public static Generator ofParts(NDManager manager, DiT dit, TextEncoder text, VaeDecoder decoder,
            ModelManifest.VaeSpec vae) {
        return new Generator(manager, dit, text, decoder, vae, false);
    }

    /** Opens every part of a model folder and checks that they fit together. */
    public static Generator open(ModelFolder model, Device device) {
        NDManager manager = NDManager.newBaseManager(device == Device.CUDA ? ai.djl.Device.gpu() : ai.djl.Device.cpu());
        TextEncoder text = null;
        VaeDecoder decoder = null;
        try {
            DiT dit = DiTWeights.load(manager, model.ditDir());
            ModelManifest m = model.manifest();
            DiTConfig c = dit.config();
            if (c.inChannels() != m.vae().latentChannels()) {
                throw LdmException.badInput(model.dir() + ": the DiT takes " + c.inChannels()
                        + " latent channels but the VAE has " + m.vae().latentChannels());
            }
            if (c.textDim() != m.textEncoder().hiddenSize()) {
                throw LdmException.badInput(model.dir() + ": the DiT expects text states of width " + c.textDim()
                        + " but the text encoder gives " + m.textEncoder().hiddenSize());
            }
            text = TextEncoder.open(m.textEncoder(), model.dir(), device);
            decoder = VaeDecoder.open(model.resolve(m.vae().decoder()), device);
            return new Generator(manager, dit, text, decoder, m.vae(), true);
        } catch (RuntimeException e) {
            closeQuietly(text);
            closeQuietly(decoder);
            manager.close();
            throw e;
        }
    }

    public DiT dit() {
        return dit;
    }

    public TextEncoder textEncoder() {
        return text;
    }

    /** Pixels per side must be a multiple of (VAE factor × patch size); the latent side follows. */
    public int latentSide(int size) {
        int factor = vae.downsampleFactor();
        int patch = dit.config().patchSize();
        if (size % (factor * patch) != 0) {
            throw LdmException.badInput("--size " + size + " is not a multiple of " + factor * patch
                    + " (VAE factor " + factor + " × patch " + patch + ")");
        }
        return size / factor;
    }

    /** Renders {@code request.n()} images; image i uses seed + i. */
    public List<GeneratedImage> generate(GenerateRequest request, StepListener listener, Timings[] timingsOut) {
        int side = latentSide(request.size());
        Sampler sampler = Samplers.byName(request.sampler());
        float[] ts = Schedule.timesteps(request.steps(), request.shift());
        int n = request.n();
        int channels = dit.config().inChannels();
        long t0 = System.nanoTime();
        try (NDManager gen = manager.newSubManager()) {
            boolean guided = request.cfg() != 1.0;
            List<String> prompts = new ArrayList<>(Collections.nCopies(n, request.prompt()));
            if (guided) {
                prompts.addAll(Collections.nCopies(n, request.negative()));
            }
            TextEmbedding emb = text.encode(prompts);
            NDArray states = Nd.fromTensor(gen, emb.states());   // [B', L, D]
            NDArray mask = Nd.fromTensor(gen, emb.mask());       // [B', L]
            NDArray pooled = Nd.fromTensor(gen, emb.pooled());   // [B', D]
            long t1 = System.nanoTime();
            NDArray noise = initialNoise(gen, request, channels, side); // [n, C, h, w]
            long[] ditNanos = {0};
            int[] nfe = {0};
            ClassifierFreeGuidance.ConditionalVelocity model = (x, t) -> {
                long s = System.nanoTime();
                int b = (int) x.getShape().get(0);
                NDArray tt = x.getManager().full(new Shape(b), t);
                NDArray v = dit.forward(x, tt, rows(states, b), rows(mask, b), rows(pooled, b));
                ditNanos[0] += System.nanoTime() - s;
                nfe[0]++;
                return v;
            };
            var field = new ClassifierFreeGuidance(model, (float) request.cfg());
            NDArray x0 = sampler.sample(field, noise, ts, Rng.stream(request.seed(), "sde"), listener);
            Tensor latents = Nd.toTensor(x0);
            long t2 = System.nanoTime();
            Tensor pixels = decoder.decode(norm.denormalize(latents)); // [n, 3, H, W]
            List<GeneratedImage> out = new ArrayList<>();
            int per = 3 * request.size() * request.size();
            for (int i = 0; i < n; i++) {
                float[] chw = java.util.Arrays.copyOfRange(pixels.data(), i * per, (i + 1) * per);
                out.add(new GeneratedImage(Images.toImage(new Tensor(new long[] {3, request.size(), request.size()}, chw)),
                        request.withSeed(request.seed() + i).withN(1)));
            }
            long t3 = System.nanoTime();
            if (timingsOut != null && timingsOut.length > 0) {
                timingsOut[0] = new Timings(t1 - t0, t2 - t1, ditNanos[0], t3 - t2, nfe[0]);
            }
            return out;
        }
    }

    /** The first b rows (the conditional half when guidance is off). */
    private static NDArray rows(NDArray a, int b) {
        return a.getShape().get(0) == b ? a : a.get("0:" + b);
    }

    /** Per-image noise from each image's own seed, so image i is the same in any batch. */
    static NDArray initialNoise(NDManager m, GenerateRequest r, int channels, int side) {
        int per = channels * side * side;
        float[] all = new float[r.n() * per];
        for (int i = 0; i < r.n(); i++) {
            System.arraycopy(Rng.stream(r.seed() + i, "noise").gaussian(per), 0, all, i * per, per);
        }
        return m.create(all, new Shape(r.n(), channels, side, side));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        closeQuietly(text);
        closeQuietly(decoder);
        manager.close();
    }
}
