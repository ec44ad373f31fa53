package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.vae.VaeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at seeded random moments: {@code ldm batch}, {@code ldm train} and {@code ldm vae train}
 * run as child JVMs and are killed (SIGKILL, no shutdown hooks) {@value Kills#DEFAULT} times each
 * by default ({@code -Dldm.kills=N}, see {@link Kills}); after every kill each file on disk is
 * complete or absent, and a re-run ({@code --resume} for training) finishes with exactly the bytes
 * of an uninterrupted run and no temporary file left. The work (images, steps) grows with the kill
 * count so that the kills never run out of it.
 * A read-only output folder holding earlier results gives a clear error and loses nothing.
 */
@Tag("slow")
class InterruptionTest {
    static final long SEED = 20_240_601L;
    /** Steps of the training runs: more than the kills can consume (each at most its target and one event more). */
    static final int STEPS = 3 * Kills.COUNT + 8;

    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path prompts;
    static List<String> batchArgs;
    static List<String> trainArgs;
    private static Path batchRef;
    private static Path trainRef;

    @BeforeAll
    static void fixtures() throws IOException {
        model = tmp.resolve("tiny");
        TestModels.tiny(model);
        data = Files.createDirectories(tmp.resolve("data"));
        String[] names = {"red_circle", "blue_square", "green_star", "black_cross", "pink_heart", "gray_moon"};
        for (int i = 0; i < names.length; i++) {
            Files.write(data.resolve(names[i] + ".png"), BadImages.encode(BadImages.noise(8, 8, i), "png"));
        }
        prompts = Files.writeString(tmp.resolve("prompts.txt"), promptLines(names, 5 * Kills.COUNT));
        batchArgs = List.of("batch", prompts.toString(), "--model", model.toString(), "--steps", "2",
                "--batch-size", "2");
        trainArgs = List.of("train", "--data", data.toString(), "--vae", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", String.valueOf(STEPS), "--batch", "2",
                "--checkpoint-every", "1", "--sample-every", "0", "--resume");
    }

    /** Prompt lines for at least {@code images} images, mixing seeds, samplers, counts and guidance. */
    static String promptLines(String[] names, int images) {
        String[] extras = {"--seed 5", "", "--sampler sde", "--seed 9", "--sampler heun", "--cfg 1"};
        StringBuilder sb = new StringBuilder();
        int planned = 0;
        for (int i = 0; planned < images; i++) {
            int n = 1 + i % 3;
            sb.append("a ").append(names[i % names.length].replace('_', ' ')).append(' ').append(i).append(" --n ")
                    .append(n).append(' ').append(extras[i % extras.length]).append('\n');
            planned += n;
        }
        return sb.toString();
    }

    /** The uninterrupted batch run, made once (in-process) for the tests that need it. */
    static synchronized Path batchReference() {
        if (batchRef == null) {
            Path ref = tmp.resolve("batch-ref");
            Ldm.Run r = Ldm.run(Kills.concatArray(batchArgs, "--out", ref.toString()));
            assertEquals(0, r.code(), r.describe());
            batchRef = ref;
        }
        return batchRef;
    }

    /** The uninterrupted training run, made once (in-process). */
    static synchronized Path trainReference() {
        if (trainRef == null) {
            Path ref = tmp.resolve("train-ref");
            Ldm.Run r = Ldm.run(Kills.concatArray(trainArgs, "--out", ref.toString()));
            assertEquals(0, r.code(), r.describe());
            trainRef = ref;
        }
        return trainRef;
    }

    @Test
    void batchKilledAtRandomMomentsResumesToTheSameBytes() throws Exception {
        Path ref = batchReference();
        Path work = tmp.resolve("batch-killed");
        List<String> killedArgs = Kills.concat(batchArgs, "--out", work.toString());
        new Kills(tmp, SEED).loop(killedArgs, work, null, Kills.files(() -> pngs(work)), 3);
        Ldm.Run r = Ldm.run(killedArgs.toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left after the final run");
        assertEquals(OutputCheck.finalFiles(ref), OutputCheck.finalFiles(work));
        for (Path rel : OutputCheck.finalFiles(ref)) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(rel)), Files.readAllBytes(work.resolve(rel)),
                    rel + " differs from the uninterrupted run's");
        }
    }

    @Test
    void trainKilledAtRandomMomentsResumesToTheSameWeights() throws Exception {
        Path ref = trainReference();
        Path work = tmp.resolve("train-killed");
        new Kills(tmp, SEED + 1).loop(Kills.concat(trainArgs, "--out", work.toString()), work, model,
                Kills.saves(work.resolve("checkpoints/dit/checkpoint.safetensors")), 2);
        Ldm.Run r = Ldm.run(Kills.concatArray(trainArgs, "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String file : List.of("dit/model.safetensors", "dit/config.json")) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(file)), Files.readAllBytes(work.resolve(file)),
                    file + " differs from the uninterrupted run's");
        }
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left after the final run");
        OutputCheck.allComplete(work, model, "after the final run");
    }

    /**
     * Output folders holding finished results, made read-only: adding to a batch, generating into
     * it, and continuing a training each end with a clear error, and no earlier file changes.
     */
    @Test
    void readOnlyOutputFolderFailsCleanlyAndLosesNothing() throws Exception {
        Path batch = Corpus.copy(batchReference(), tmp.resolve("ro-batch"));
        Path more = Files.writeString(tmp.resolve("more.txt"), Files.readString(prompts) + "a white cloud\n");
        readOnlyFails(batch, "batch", more.toString(), "--model", model.toString(), "--steps", "2", "--out",
                batch.toString());
        readOnlyFails(batch, "generate", "a fox", "--model", model.toString(), "--steps", "1", "--out",
                batch.toString());
        Path trained = Corpus.copy(trainReference(), tmp.resolve("ro-train"));
        List<String> longer = new ArrayList<>(trainArgs);
        longer.set(longer.indexOf("--steps") + 1, String.valueOf(STEPS + 1));
        readOnlyFails(trained, Kills.concatArray(longer, "--out", trained.toString()));
    }

    /**
     * ldm run on a read-only output folder that holds earlier results: a clear one-line error naming
     * the folder (exit 1 or 2, no stack trace), and every earlier file exactly as it was.
     */
    static void readOnlyFails(Path dir, String... args) throws Exception {
        Map<String, String> before = Expect.files(dir);
        Ldm.Run r;
        try (ReadOnlyFolder locked = ReadOnlyFolder.lock(dir)) {
            r = Ldm.run(args);
        }
        assertTrue(r.code() == 1 || r.code() == 2, r.describe());
        Expect.noStackTrace(r);
        List<String> errors = r.errLines().stream().filter(l -> !l.startsWith("step ")).toList();
        assertEquals(1, errors.size(), r.describe());
        assertTrue(errors.get(0).startsWith("ldm: error: ") && errors.get(0).contains(dir.toString()), r.describe());
        Expect.unchanged(dir, before, r);
    }

    @Test
    void vaeTrainKilledAtRandomMomentsResumesToTheSameModel() throws Exception {
        List<String> args = List.of("vae", "train", "--data", data.toString(), "--preset", "tiny", "--size", "8",
                "--steps", String.valueOf(STEPS), "--batch", "2", "--checkpoint-every", "1", "--holdout", "0.2",
                "--resume");
        Path ref = tmp.resolve("vae-ref");
        Ldm.Run r = Ldm.run(Kills.concatArray(args, "--out", ref.toString()));
        assertEquals(0, r.code(), r.describe());
        Path work = tmp.resolve("vae-killed");
        new Kills(tmp, SEED + 2).loop(Kills.concat(args, "--out", work.toString()), work, null,
                Kills.saves(work.resolve("checkpoints/vae/checkpoint.safetensors")), 2);
        r = Ldm.run(Kills.concatArray(args, "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String file : List.of(VaeInfo.WEIGHTS, VaeInfo.ENCODER, VaeInfo.DECODER, VaeInfo.FILE)) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(file)), Files.readAllBytes(work.resolve(file)),
                    file + " differs from the uninterrupted run's");
        }
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left after the final run");
        OutputCheck.allComplete(work, null, "after the final run");
    }

    /** PNGs in place (by name only: a child may be renaming files while this looks). */
    static int pngs(Path dir) {
        String[] names = dir.toFile().list();
        return names == null ? 0 : (int) java.util.Arrays.stream(names)
                .filter(n -> n.endsWith(".png") && !n.startsWith(".")).count();
    }
}
