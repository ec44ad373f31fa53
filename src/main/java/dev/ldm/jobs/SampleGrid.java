package dev.ldm.jobs;

import ai.djl.ndarray.NDManager;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.Generator;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.text.TextEncoder;
import dev.ldm.vae.VaeDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sample grid a training or fine-tuning run writes every {@code --sample-every} steps: one tile
 * per fixed prompt (seed 0, 20 Euler steps, guidance 4), so the grids of a run can be compared.
 */
public final class SampleGrid {
    static final int STEPS = 20;
    static final double CFG = 4.0;

    private SampleGrid() {}

    /** {@code out/samples/step-NNNNNNN.png}. */
    public static Path file(Path out, long step) {
        return out.resolve("samples").resolve(String.format("step-%07d.png", step));
    }

    /** Renders with a DiT built from {@code weights} (every DiT weight, for example the EMA copy). */
    public static void write(Path file, DiTConfig config, Map<String, Tensor> weights, TextEncoder text,
            VaeDecoder decoder, ModelManifest.VaeSpec vae, List<String> prompts, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiT.fromWeights(m, config, weights, "sample weights");
            write(file, m, dit, text, decoder, vae, prompts, size);
        }
    }

    /** Renders with a ready DiT; {@code m} holds the per-call arrays. */
    public static void write(Path file, NDManager m, DiT dit, TextEncoder text, VaeDecoder decoder,
            ModelManifest.VaeSpec vae, List<String> prompts, int size) {
        // sampling happens on the caller's thread, between steps
        Generator g = Generator.ofParts(m, dit, text, decoder, vae);
        List<BufferedImage> tiles = new ArrayList<>();
        for (String p : prompts) {
            GenerateRequest req = new GenerateRequest(p, "", STEPS, CFG, 0, 1, size, "euler", 1.0);
            tiles.add(g.generate(req, StepListener.NONE, null).get(0).image());
        }
        PngWriter.write(file, Images.grid(tiles, Math.min(4, tiles.size())),
                Map.of("prompts", String.join("\n", prompts)));
    }

    /** The first {@code n} distinct captions: the default prompts of a grid. */
    public static List<String> distinct(List<String> captions, int n) {
        List<String> out = new ArrayList<>();
        for (String c : captions) {
            if (!out.contains(c)) {
                out.add(c);
            }
            if (out.size() == n) {
                break;
            }
        }
        return out;
    }
}
