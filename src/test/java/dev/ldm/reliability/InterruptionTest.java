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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at seeded random moments: {@code ldm batch}, {@code ldm train} and {@code ldm vae train}
 * run as child JVMs and are killed (SIGKILL, no shutdown hooks) while they write; after every kill
 * each file on disk is complete or absent, and a re-run ({@code --resume} for training) finishes
 * with exactly the bytes of an uninterrupted run. Kills are aimed at the writing phase by waiting
 * for a randomly chosen amount of progress (files written, checkpoints saved) plus a random delay.
 * A read-only output folder holding earlier results gives a clear error and loses nothing.
 *
 * <p>Each kill costs a JVM start and a model load (about 3 to 5 s on two cores), so this runs
 * {@value #KILLS} kills per command rather than the 20 that a nightly run would.
 */
class InterruptionTest {
    static final int KILLS = 5;
    static final long SEED = 20_240_601L;

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
        prompts = Files.writeString(tmp.resolve("prompts.txt"), "a red circle --n 3 --seed 5\n"
                + "a blue square --n 2\n" + "a green star --sampler sde --n 2\n" + "a black cross --seed 9\n"
                + "a pink heart --n 3 --sampler heun\n" + "a gray moon --cfg 1\n");
        batchArgs = List.of("batch", prompts.toString(), "--model", model.toString(), "--steps", "2",
                "--batch-size", "2");
        trainArgs = List.of("train", "--data", data.toString(), "--vae", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", "8", "--batch", "2", "--checkpoint-every", "1",
                "--sample-every", "0", "--resume");
    }

    /** The uninterrupted batch run, made once (in-process) for the tests that need it. */
    static synchronized Path batchReference() {
        if (batchRef == null) {
            Path ref = tmp.resolve("batch-ref");
            Ldm.Run r = Ldm.run(concatArray(batchArgs, "--out", ref.toString()));
            assertEquals(0, r.code(), r.describe());
            batchRef = ref;
        }
        return batchRef;
    }

    /** The uninterrupted training run, made once (in-process). */
    static synchronized Path trainReference() {
        if (trainRef == null) {
            Path ref = tmp.resolve("train-ref");
            Ldm.Run r = Ldm.run(concatArray(trainArgs, "--out", ref.toString()));
            assertEquals(0, r.code(), r.describe());
            trainRef = ref;
        }
        return trainRef;
    }

    @Test
    void batchKilledAtRandomMomentsResumesToTheSameBytes() throws Exception {
        Path ref = batchReference();
        int total = pngs(ref);
        Path work = tmp.resolve("batch-killed");
        List<String> killedArgs = concat(batchArgs, "--out", work.toString());
        Random rng = new Random(SEED);
        int hits = 0;
        for (int k = 0; k < KILLS; k++) {
            int before = pngs(work);
            int target = before + rng.nextInt(Math.max(1, total - before));
            hits += killDuring(killedArgs, () -> pngs(work), target, rng, "batch kill " + k) ? 1 : 0;
            OutputCheck.allComplete(work, null, "after batch kill " + k);
        }
        assertTrue(hits >= KILLS - 1, "only " + hits + " kills hit a running batch");
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
        killAtCheckpoints(trainArgs, work, work.resolve("checkpoints/dit/checkpoint.safetensors"), model,
                new Random(SEED + 1));
        Ldm.Run r = Ldm.run(concatArray(trainArgs, "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String file : List.of("dit/model.safetensors", "dit/config.json")) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(file)), Files.readAllBytes(work.resolve(file)),
                    file + " differs from the uninterrupted run's");
        }
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
        longer.set(longer.indexOf("--steps") + 1, "9");
        readOnlyFails(trained, concatArray(longer, "--out", trained.toString()));
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
                "--steps", "8", "--batch", "2", "--checkpoint-every", "1", "--holdout", "0.2", "--resume");
        Path ref = tmp.resolve("vae-ref");
        Ldm.Run r = Ldm.run(concatArray(args, "--out", ref.toString()));
        assertEquals(0, r.code(), r.describe());
        Path work = tmp.resolve("vae-killed");
        killAtCheckpoints(args, work, work.resolve("checkpoints/vae/checkpoint.safetensors"), null,
                new Random(SEED + 2));
        r = Ldm.run(concatArray(args, "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String file : List.of(VaeInfo.WEIGHTS, VaeInfo.ENCODER, VaeInfo.DECODER, VaeInfo.FILE)) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(file)), Files.readAllBytes(work.resolve(file)),
                    file + " differs from the uninterrupted run's");
        }
        OutputCheck.allComplete(work, null, "after the final run");
    }

    /**
     * {@value #KILLS} runs of {@code args --out work}, each killed after 0 to 2 checkpoint saves
     * (plus a random delay), each followed by the completeness check.
     */
    static void killAtCheckpoints(List<String> args, Path work, Path checkpoint, Path onnxSource, Random rng)
            throws Exception {
        List<String> killedArgs = concat(args, "--out", work.toString());
        int[] saves = {0};
        long[] lastModified = {0};
        IntSupplier checkpointsSeen = () -> {
            try {
                long m = Files.exists(checkpoint) ? Files.getLastModifiedTime(checkpoint).toMillis() : 0;
                if (m != lastModified[0]) {
                    lastModified[0] = m;
                    saves[0]++;
                }
            } catch (IOException e) {
                // renamed away while looking: count it next time
            }
            return saves[0];
        };
        int hits = 0;
        for (int k = 0; k < KILLS; k++) {
            saves[0] = 0;
            String what = args.get(0) + " kill " + k;
            hits += killDuring(killedArgs, checkpointsSeen, rng.nextInt(3), rng, what) ? 1 : 0;
            OutputCheck.allComplete(work, onnxSource, "after " + what);
        }
        assertTrue(hits >= KILLS - 1, "only " + hits + " kills hit a running " + args.get(0));
    }

    /**
     * Starts ldm, waits until {@code progress} reaches {@code target} (or the child exits), waits a
     * further random 0 to 60 ms, then kills it with SIGKILL.
     */
    static boolean killDuring(List<String> args, IntSupplier progress, int target, Random rng, String what)
            throws Exception {
        Path log = Files.createTempFile(tmp, "kill", ".log");
        Process p = Ldm.start(tmp, log, args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && progress.getAsInt() < target && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        Thread.sleep(rng.nextInt(60));
        boolean alive = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), what + ": child did not die");
        int code = p.exitValue();
        assertTrue(code == 0 || code == 137, what + ": exit " + code + "\n" + Files.readString(log));
        System.out.println(what + ": target " + target + ", progress " + progress.getAsInt()
                + (alive ? ", killed while running" : ", had finished"));
        return alive && code == 137;
    }

    /** PNGs in place (by name only: a child may be renaming files while this looks). */
    static int pngs(Path dir) {
        String[] names = dir.toFile().list();
        return names == null ? 0 : (int) java.util.Arrays.stream(names)
                .filter(n -> n.endsWith(".png") && !n.startsWith(".")).count();
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    static String[] concatArray(List<String> a, String... b) {
        return concat(a, b).toArray(String[]::new);
    }
}
