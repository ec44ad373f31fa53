package dev.ldm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs ldm in-process and captures its exit code, stdout and stderr. */
final class CliRunner {
    record Run(int code, String out, String err) {}

    private CliRunner() {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
