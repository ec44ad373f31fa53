package dev.ldm.reliability;

import dev.ldm.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.add("-Xss4m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
        return pb.start();
    }
}
