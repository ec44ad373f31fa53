package dev.ldm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs a command (a child JVM, the launcher) to its end, or signals it, and keeps its exit code and output. */
final class ChildLdm {
    record Run(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private ChildLdm() {}

    static Run run(Path dir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        return new Run(p.exitValue(), out, err.join());
    }

    /**
     * Runs {@code command} like {@link #run} but sends it SIGTERM (what Ctrl-C's SIGINT also does) once
     * {@code ready} holds for its standard error so far (checked every 20 ms); it must still be running then.
     */
    static Run runAndTerminate(Path dir, List<String> command, Predicate<String> ready) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuffer err = new StringBuffer();
        CompletableFuture<Void> errDone = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    err.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        boolean signalled = false;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (!signalled && ready.test(err.toString())) {
                p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its pipes)
                signalled = true;
            }
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        errDone.join();
        Run run = new Run(p.exitValue(), out.join(), err.toString());
        if (!signalled) {
            throw new AssertionError("ended before it was ready to be signalled: " + run.describe());
        }
        return run;
    }

    /** {@code java} of this JVM with the settings of a short run, a temporary folder inside {@code dir}. */
    static List<String> java(Path dir, String classPath, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir, "-cp", classPath, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
