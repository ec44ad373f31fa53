package dev.ldm;

import ai.djl.ndarray.NDManager;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.util.Rng;
import dev.ldm.vae.Autoencoder;
import dev.ldm.vae.VaeConfig;
import dev.ldm.vae.VaeOnnxExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a real but tiny model folder for tests: an untrained tiny VAE exported to ONNX by ldm's
 * exporter, a tiny DiT with random (non-zero) weights, and the built-in text encoder.
 */
public final class TestModels {
    public static final int SIZE = 8;
    public static final int TEXT_LENGTH = 8;

    private TestModels() {}

    public static ModelFolder tiny(Path dir) {
        return tiny(dir, SIZE, 2);
    }

    /**
     * The same kind of model drawing {@code size}-pixel images with DiT patch side {@code patch}
     * (the tiny VAE halves the side): {@code tiny(dir, 16, 1)} has the 8×8 patch grid of the
     * shipped models.
     */
    public static ModelFolder tiny(Path dir, int size, int patch) {
        return tiny(dir, size, patch, 0.05f);
    }

    /**
     * {@link #tiny(Path, int, int)} with the DiT's initial weights perturbed by Gaussian noise of this
     * standard deviation (0.05 there): larger values give a DiT whose output depends more on the prompt.
     */
    public static ModelFolder tiny(Path dir, int size, int patch, float perturbation) {
        VaeConfig vc = VaeConfig.preset("tiny");
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder vae = new Autoencoder(m, vc, 1);
            VaeOnnxExport.write(vae, dir);
            int side = size / vc.downsampleFactor();
            DiTConfig dc = DiTConfig.preset("tiny", side, vc.latentChannels(), 384, TEXT_LENGTH).withPatchSize(patch);
            DiT dit = new DiT(m, dc, new Rng(2));
            Map<String, Tensor> w = new LinkedHashMap<>();
            Rng rng = new Rng(3);
            dit.stateDict().forEach((k, t) -> {
                float[] d = t.data().clone();
                float[] noise = rng.gaussian(d.length);
                for (int i = 0; i < d.length; i++) {
                    d[i] += perturbation * noise[i];
                }
                w.put(k, new Tensor(t.shape(), d));
            });
            DiTWeights.save(dc, w, dir.resolve("dit"), Safetensors.DType.F32);
        }
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, "tiny", TextEncoderConfig.builtin(TEXT_LENGTH),
                new ModelManifest.VaeSpec(VaeOnnxExport.ENCODER_FILE, VaeOnnxExport.DECODER_FILE, vc.latentChannels(),
                        vc.downsampleFactor(), 1.0, 0.0),
                "dit", new ModelManifest.Defaults(size, 30, 3.0, "euler", 1.0), Map.of("purpose", "tests"));
        ModelFolder f = new ModelFolder(dir, manifest);
        f.write();
        return f;
    }

    /**
     * A cascade: a tiny model drawing 16-pixel images (the shipped 8×8 patch grid) whose draft model,
     * in {@code dir/draft}, draws 8-pixel ones; the draft is redrawn from {@code strength}.
     */
    public static ModelFolder cascade(Path dir, double strength) {
        return cascade(dir, strength, null);
    }

    /** {@link #cascade(Path, double)} whose draft is anchored in {@code anchor}×{@code anchor} latent blocks. */
    public static ModelFolder cascade(Path dir, double strength, Integer anchor) {
        return cascade(dir, strength, anchor, 0.05f);
    }

    /** {@link #cascade(Path, double, Integer)} with both DiTs perturbed as {@link #tiny(Path, int, int, float)} says. */
    public static ModelFolder cascade(Path dir, double strength, Integer anchor, float perturbation) {
        ModelManifest m = tiny(dir, 16, 1, perturbation).manifest();
        tiny(dir.resolve("draft"), SIZE, 2, perturbation);
        ModelManifest.Defaults d = m.defaults();
        ModelFolder f = new ModelFolder(dir, new ModelManifest(m.format(), "tiny-cascade", m.textEncoder(), m.vae(),
                m.dit(), "draft", new ModelManifest.Defaults(d.size(), d.steps(), d.cfg(), d.sampler(), d.shift(),
                        null, strength, anchor), m.provenance()));
        f.write();
        return f;
    }
}
