package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.optim.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill} (SIGTERM, what Ctrl-C's SIGINT also does) of a running command (a child JVM): it stops at its next
 * step boundary, keeps what it finished, says so in one line, exits with the signal's status (143) and leaves no JVM
 * crash report; running it again continues. Before the fix the JVM exited in the middle of a PyTorch operation and
 * could crash (SIGSEGV in libtorch, an hs_err file), and a training run lost every step since its last checkpoint.
 */
class SignalStopTest {
    private static final Pattern TRAIN_STOPPED = Pattern.compile("ldm: error: interrupted after step (\\d+) of 1000000");
    private static final Pattern BATCH_STOPPED = Pattern.compile("ldm: error: interrupted after (\\d+) of 400 images");

    @TempDir
    Path tmp;

    /** A training run checkpoints every step it finished (none was due: it checkpoints every million steps). */
    @Test
    void trainStopsAtAStepBoundaryWithACheckpoint() throws Exception {
        Path data = tmp.resolve("data");
        Path model = tmp.resolve("model");
        Path out = tmp.resolve("run");
        assertEquals(0, CliRunner.run("data", "shapes", "--out", data.toString(), "--per-pair", "1", "--size",
                String.valueOf(TestModels.SIZE)).code());
        TestModels.tiny(model);
        List<String> train = List.of("train", "--data", data.toString(), "--vae", model.toString(), "--out",
                out.toString(), "--preset", "tiny", "--size", String.valueOf(TestModels.SIZE), "--text-length", "8",
                "--batch", "4", "--sample-every", "0");
        ChildLdm.Run run = terminated(concat(train, "--steps", "1000000", "--checkpoint-every", "1000000"),
                err -> err.contains("step 200/"));
        Matcher m = TRAIN_STOPPED.matcher(run.err());
        assertTrue(m.find(), run.describe());
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= 200, run.describe());
        assertEquals(step, Checkpoint.load(out.resolve("checkpoints/dit")).step(), run.describe());

        CliRunner.Run r = CliRunner.run(concat(train, "--steps", String.valueOf(step + 2), "--resume", "--json")
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": " + step), r.out());
    }

    /** A batch stops between batches: the images it wrote are complete and listed, and the rerun draws the rest. */
    @Test
    void batchStopsBetweenImagesAndKeepsThem() throws Exception {
        Path model = tmp.resolve("model");
        Path out = tmp.resolve("images");
        Path prompts = tmp.resolve("prompts.txt");
        TestModels.tiny(model);
        Files.write(prompts, Collections.nCopies(400, "a red circle"));
        List<String> batch = List.of("batch", prompts.toString(), "--model", model.toString(), "--out",
                out.toString(), "--steps", "4", "--batch-size", "1");
        ChildLdm.Run run = terminated(batch, err -> lines(out.resolve("manifest.jsonl")) >= 3);
        Matcher m = BATCH_STOPPED.matcher(run.err());
        assertTrue(m.find(), run.describe());
        int kept = Integer.parseInt(m.group(1));
        assertTrue(kept >= 3 && kept < 400, run.describe());
        assertEquals(kept, lines(out.resolve("manifest.jsonl")), run.describe());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(kept, files.filter(f -> f.toString().endsWith(".png")).count(), run.describe());
        }

        CliRunner.Run r = CliRunner.run(batch.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains((400 - kept) + " images rendered, " + kept + " already there"), r.out());
    }

    /** Runs {@code args} in a child JVM, sends SIGTERM when {@code ready}, and checks the stop was clean. */
    private ChildLdm.Run terminated(List<String> args, java.util.function.Predicate<String> ready) throws Exception {
        List<String> cmd = new ArrayList<>(ChildLdm.java(tmp, System.getProperty("java.class.path")));
        cmd.addAll(args);
        ChildLdm.Run run = ChildLdm.runAndTerminate(tmp, cmd, ready);
        assertEquals(143, run.code(), run.describe()); // 128 + SIGTERM: the signal's status, not a crash's 134
        assertFalse(run.err().contains("A fatal error"), run.describe());
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), run.describe());
        }
        return run;
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
