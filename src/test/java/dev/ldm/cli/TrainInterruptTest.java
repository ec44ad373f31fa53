package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.optim.Checkpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill} (SIGTERM, what Ctrl-C's SIGINT also does) of a running {@code ldm train} (a child JVM): the run
 * stops at its next step boundary, writes a checkpoint of every step it finished (none was due: the run
 * checkpoints every million steps), says so in one line, and leaves no JVM crash report; {@code --resume}
 * continues from that step. Before the fix the JVM exited in the middle of a PyTorch operation and could
 * crash (SIGSEGV in libtorch, an hs_err file), and every step since the last checkpoint was lost.
 */
class TrainInterruptTest {
    private static final Pattern INTERRUPTED = Pattern.compile("ldm: error: interrupted after step (\\d+) of 1000000");

    @TempDir
    Path tmp;

    @Test
    void sigtermStopsAtAStepBoundaryWithACheckpoint() throws Exception {
        Path data = tmp.resolve("data");
        Path model = tmp.resolve("model");
        Path out = tmp.resolve("run");
        assertEquals(0, CliRunner.run("data", "shapes", "--out", data.toString(), "--per-pair", "1", "--size",
                String.valueOf(TestModels.SIZE)).code());
        TestModels.tiny(model);
        List<String> train = List.of("train", "--data", data.toString(), "--vae", model.toString(), "--out",
                out.toString(), "--preset", "tiny", "--size", String.valueOf(TestModels.SIZE), "--text-length", "8",
                "--batch", "4", "--sample-every", "0");
        List<String> cmd = new java.util.ArrayList<>(ChildLdm.java(tmp, System.getProperty("java.class.path")));
        cmd.addAll(train);
        cmd.addAll(List.of("--steps", "1000000", "--checkpoint-every", "1000000"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
        StringBuilder err = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            boolean signalled = false;
            for (String line; (line = r.readLine()) != null; ) {
                err.append(line).append('\n');
                if (!signalled && line.startsWith("step 200/")) {
                    p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its pipes)
                    signalled = true;
                }
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String log = "--- stdout\n" + stdout.join() + "--- stderr\n" + err;
        assertEquals(143, p.exitValue(), log); // 128 + SIGTERM: the signal's status, not a crash's 134
        Matcher m = INTERRUPTED.matcher(err);
        assertTrue(m.find(), log);
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= 200, log);
        assertEquals(step, Checkpoint.load(out.resolve("checkpoints/dit")).step(), log);
        assertFalse(err.toString().contains("A fatal error"), log);
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), log);
        }

        List<String> resume = new java.util.ArrayList<>(train);
        resume.addAll(List.of("--steps", String.valueOf(step + 2), "--resume", "--json"));
        CliRunner.Run r = CliRunner.run(resume.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": " + step), r.out());
    }
}
