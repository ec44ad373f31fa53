package dev.ldm.reliability;

import dev.ldm.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs ldm the two ways the reliability tests need: in-process through {@link Main#commandLine}
 * (fast; what a user sees on stdout and stderr, and the exit code), or as a child JVM on the test
 * class path that can be killed with SIGKILL at any moment.
 */
final class Ldm {
    /** What one in-process run printed and returned. */
    record Run(int code, String out, String err) {
        /** stderr as lines, without empty ones. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        String describe() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Ldm() {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Starts {@code java -cp <test class path> dev.ldm.cli.Main args} with the engine settings the
     * suite uses, in {@code workDir}, its output discarded into {@code log}.
     */
    static Process start(Path workDir, Path log, List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(workDir, args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment(pb);
        return pb.start();
    }

    /**
     * The child's command line. A child killed with SIGKILL cannot delete what ONNX Runtime unpacks
     * on every start (22 MB of native libraries in {@code java.io.tmpdir}), so children get a
     * temporary folder inside {@code workDir} (a test's own temporary folder) and load ONNX Runtime
     * from one copy unpacked there once. C1-only JIT and the serial collector cut a short-lived
     * child's CPU time by about a third; Java's floating point does not depend on the JIT tier.
     */
    static List<String> command(Path workDir, List<String> args) throws IOException {
        return command(workDir, args, true);
    }

    /** @param sharedOrt load ONNX Runtime from the copy unpacked once (false: it unpacks its own) */
    static List<String> command(Path workDir, List<String> args, boolean sharedOrt) throws IOException {
        Path jvm = Files.createDirectories(workDir.resolve(".jvm"));
        Path tmp = Files.createDirectories(jvm.resolve("tmp"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.add("-Xss4m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.io.tmpdir=" + tmp);
        if (sharedOrt) {
            OrtNatives.unpack(jvm.resolve("ort")).ifPresent(dir -> cmd.add("-Donnxruntime.native.path=" + dir));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** The environment the suite runs ldm with (passive OpenMP waits, no progress bars). */
    static void environment(ProcessBuilder pb) {
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
    }

    /**
     * Runs ldm in a child JVM whose files may not grow past {@code limitKb} KiB ({@code ulimit -f},
     * with SIGXFSZ ignored): every write past the limit fails with EFBIG ("File too large"), as
     * writes do on a full disk. Its output comes back through pipes, which the limit does not touch.
     */
    static Run runLimited(Path workDir, long limitKb, boolean sharedOrt, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "trap '' XFSZ; ulimit -f \"$0\" && exec \"$@\"",
                String.valueOf(limitKb)));
        cmd.addAll(command(workDir, List.of(args), sharedOrt));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        environment(pb);
        Process p = pb.start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ldm " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
