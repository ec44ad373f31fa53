package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.TestModels;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.jobs.FinetuneJob;
import dev.ldm.lora.LoraFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during {@code ldm finetune}, full and {@code --lora}: {@value Kills#DEFAULT} kills each by
 * default ({@code -Dldm.kills=N}) at seeded moments (see {@link Kills}) across the latent encoding,
 * the training steps with their checkpoints and the final write; after each, every file is
 * complete or absent (copied VAE files equal the base model's), and {@code --resume} ends with the
 * weights an uninterrupted run writes and no temporary file left.
 */
@Tag("slow")
class FinetuneInterruptionTest {
    static final long SEED = 20_240_602L;
    /** More steps than the kills can consume (each at most its target and one event more). */
    static final int STEPS = 3 * Kills.COUNT + 8;

    @TempDir
    static Path tmp;
    static Path base;
    static Path data;

    @BeforeAll
    static void fixtures() throws IOException {
        base = TestModels.tiny(tmp.resolve("base")).dir();
        data = Files.createDirectories(tmp.resolve("data"));
        String[] files = {"2_moon/a.png", "2_moon/b.png", "plain/red_fox.png", "plain/blue_owl.png", "green_star.png"};
        for (int i = 0; i < files.length; i++) {
            Path png = data.resolve(files[i]);
            Files.createDirectories(png.getParent());
            Files.write(png, BadImages.encode(BadImages.noise(8, 8, 40 + i), "png"));
        }
        Files.writeString(data.resolve("2_moon/a.txt"), "a purple moon");
    }

    static List<String> args(Path out, String... extra) {
        return Kills.concat(List.of("finetune", "--from", base.toString(), "--data", data.toString(),
                "--steps", String.valueOf(STEPS), "--batch", "2", "--trigger", "zxq", "--checkpoint-every", "1",
                "--sample-every", "0", "--resume", "--out", out.toString()), extra);
    }

    /** Runs uninterrupted into {@code ref}, then killed again and again into {@code work}, then to the end. */
    static void killAndFinish(Path ref, Path work, long seed, String... extra) throws Exception {
        Ldm.Run r = Ldm.run(args(ref, extra).toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        new Kills(tmp, seed).loop(args(work, extra), work, base,
                Kills.saves(work.resolve(FinetuneJob.CHECKPOINTS).resolve("checkpoint.safetensors")), 2);
        r = Ldm.run(args(work, extra).toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left after the final run");
        OutputCheck.allComplete(work, base, "after the final run");
    }

    @Test
    void fullFinetuneKilledAtRandomMomentsResumesToTheSameWeights() throws Exception {
        Path ref = tmp.resolve("full-ref");
        Path work = tmp.resolve("full-killed");
        killAndFinish(ref, work, SEED);
        for (String file : List.of("dit/model.safetensors", "dit/config.json", "vae_encoder/model.onnx",
                "vae_decoder/model.onnx")) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(file)), Files.readAllBytes(work.resolve(file)),
                    file + " differs from the uninterrupted run's");
        }
    }

    /**
     * The adapters must be equal. The file's metadata also records the last step's loss and the
     * loss by timestep of the steps the last run made (a resumed run saw only its own steps), so
     * the metadata is compared apart from those two figures.
     */
    @Test
    void loraFinetuneKilledAtRandomMomentsResumesToTheSameAdapters() throws Exception {
        Path ref = tmp.resolve("lora-ref");
        Path work = tmp.resolve("lora-killed");
        killAndFinish(ref, work, SEED + 1, "--lora", "2");
        Safetensors.Contents want = Safetensors.readAll(ref.resolve(LoraFile.FILE));
        Safetensors.Contents got = Safetensors.readAll(work.resolve(LoraFile.FILE));
        assertEquals(want.tensors().keySet(), got.tensors().keySet());
        for (Map.Entry<String, Tensor> e : want.tensors().entrySet()) {
            Tensor g = got.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), g.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), g.data(), e.getKey() + " differs from the uninterrupted run's");
        }
        assertEquals(withoutLoss(want.metadata()), withoutLoss(got.metadata()));
    }

    /** LoRA metadata with the losses of the last run taken out of its provenance JSON. */
    private static Map<String, String> withoutLoss(Map<String, String> meta) {
        Map<String, String> out = new java.util.TreeMap<>(meta);
        out.computeIfPresent("ldm_finetune", (k, v) -> v.replaceAll("\"final_loss\":[^,}]*,?", "")
                .replaceAll("\"loss_by_timestep\":\\[[^\\]]*\\],?", ""));
        return out;
    }
}
