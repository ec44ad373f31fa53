package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * kill -9 in a loop: ldm runs as a child JVM ({@link Ldm#start}) and is killed with SIGKILL (no
 * shutdown hooks, no finally blocks) at a moment drawn from a seeded generator, then every file
 * it left must be complete or absent ({@link OutputCheck#allComplete}).
 *
 * <p>Kill moments are drawn over the run's work rather than over wall time, so that they land in
 * the same phases on a loaded machine as on an idle one: one kill in four at a uniform moment of
 * the start-up (JVM, engines, model and data loading, latent encoding: the time a previous run took
 * to its first progress), the others 1 to {@code maxAdvance} progress events (files written,
 * checkpoints saved) into the run plus a uniform fraction of the time between two events (as
 * measured in a previous run), which lands inside the next write. A delay never outlasts the next
 * progress event, so a kill always finds the child running, however busy the machine is.
 * Each run continues the last one ({@code --resume}, or a batch skipping finished files), so the
 * kills walk through the whole run.
 *
 * <p>Each kill costs one JVM start and engine load, about 2 s of CPU: the suite's 20 kills per
 * command (issue 6) cost about 4.4 CPU-minutes for the six kill loops (batch, train, vae train,
 * finetune full and LoRA, data emoji), 6 minutes of wall time on a loaded two-core machine. A
 * quicker local run can lower the count with {@code -Dldm.kills=N}.
 */
final class Kills {
    static final int DEFAULT = 20;
    /** Kills per command. */
    static final int COUNT = Integer.getInteger("ldm.kills", DEFAULT);
    /** The longest a killed child may run before the test gives up waiting for progress. */
    private static final long PATIENCE_S = 60;

    private final Path tmp;
    private final Random rng;
    /** Time from a child's start to its first progress, as last measured. */
    private long startupMillis = 2000;
    /** Time between two progress events, as last measured. */
    private long intervalMillis = 60;

    /** @param tmp the test's temporary folder (children run there, their logs go there) */
    Kills(Path tmp, long seed) {
        this.tmp = tmp;
        this.rng = new Random(seed);
    }

    /**
     * {@link #COUNT} runs of {@code args}, each killed at a random moment, each followed by the
     * completeness check of {@code work} ({@code onnxSource}: the folder copied ONNX files must
     * equal, or null). {@code progress} makes a counter of the progress a run makes from now on.
     */
    void loop(List<String> args, Path work, Path onnxSource, Supplier<IntSupplier> progress, int maxAdvance)
            throws Exception {
        String name = args.get(0).equals("vae") || args.get(0).equals("data") ? args.get(0) + " " + args.get(1)
                : args.get(0);
        int hits = 0;
        for (int k = 0; k < COUNT; k++) {
            String what = name + " kill " + k;
            boolean startup = rng.nextInt(4) == 0;
            int target = startup ? 0 : 1 + rng.nextInt(maxAdvance);
            long span = startup ? startupMillis : intervalMillis;
            int delay = rng.nextInt((int) Math.max(1, Math.min(span, 10_000)));
            hits += killAt(args, progress.get(), target, delay, what) ? 1 : 0;
            OutputCheck.allComplete(work, onnxSource, "after " + what);
        }
        assertEquals(COUNT, hits, "kills that hit a running " + name);
    }

    /**
     * Starts ldm, waits until {@code progress} reaches {@code target} (or the child exits), waits
     * {@code delayMs} more, then kills it; true when it was still running.
     */
    private boolean killAt(List<String> args, IntSupplier progress, int target, int delayMs, String what)
            throws Exception {
        Path log = Files.createTempFile(tmp, "kill", ".log");
        long t0 = System.nanoTime();
        Process p = Ldm.start(tmp, log, args);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(PATIENCE_S);
        int seen = 0;
        long first = 0;
        while (p.isAlive() && (seen = progress.getAsInt()) < target && System.nanoTime() < deadline) {
            if (seen == 0) {
                startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            } else if (first == 0) {
                first = System.nanoTime();
            }
            Thread.sleep(2);
        }
        if (first != 0 && seen > 1) {
            intervalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first) / (seen - 1);
        }
        // The delay ends early at the child's next progress event: on a loaded machine a phase can
        // take far less or far more than last time, and a child left running to the end of a
        // stale delay could finish the whole job (a kill that hits nothing).
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        while (p.isAlive() && progress.getAsInt() <= seen && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), what + ": child did not die");
        int code = p.exitValue();
        assertTrue(code == 0 || code == 137, what + ": exit " + code + "\n" + Files.readString(log));
        System.out.printf("%s: target %d, progress %d, %d ms after it, %s%n", what, target, progress.getAsInt(),
                delayMs, alive ? "killed while running" : "had finished");
        Files.delete(log);
        return alive && code == 137;
    }

    /** Counts changes of {@code file} (by modification time) from now on: checkpoints saved. */
    static Supplier<IntSupplier> saves(Path file) {
        return () -> new IntSupplier() {
            private long last = mtime(file);
            private int saves;

            @Override
            public int getAsInt() {
                long m = mtime(file);
                if (m != last) {
                    last = m;
                    saves++;
                }
                return saves;
            }
        };
    }

    /** Counts files that {@code count} finds, from now on. */
    static Supplier<IntSupplier> files(IntSupplier count) {
        return () -> {
            int base = count.getAsInt();
            return () -> count.getAsInt() - base;
        };
    }

    private static long mtime(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
        } catch (IOException e) {
            return 0; // renamed away while looking: seen next time
        }
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
