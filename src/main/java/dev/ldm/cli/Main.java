package dev.ldm.cli;

import dev.ldm.LdmException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: {@code ldm <command> ...}. */
public final class Main {
    private Main() {}

    /** Commands that load ONNX Runtime and the tokenizer: their native libraries load while picocli starts. */
    private static final java.util.Set<String> PRELOAD = java.util.Set.of("generate", "batch", "serve");

    public static void main(String[] args) {
        if (args.length > 0 && PRELOAD.contains(args[0])) {
            Thread t = new Thread(() -> {
                dev.ldm.onnx.OnnxSessions.preload();
                dev.ldm.text.TextEncoder.preloadNatives();
            }, "ldm-preload");
            t.setDaemon(true);
            t.start();
        }
        dev.ldm.util.Interrupt.install();
        int code = run(args);
        dev.ldm.util.Interrupt.commandEnded();
        System.exit(code);
    }

    /** Runs ldm in-process and returns its exit code (tests call this). */
    public static int run(String... args) {
        PrintWriter err = new PrintWriter(System.err, true);
        return execute(commandLine(new PrintWriter(System.out, true), err, args), err, args);
    }

    /**
     * {@code cl.execute(args)}, with the JVM errors that picocli lets through (it wraps only
     * exceptions) turned into one line and exit code 1 instead of a stack trace.
     */
    static int execute(CommandLine cl, PrintWriter err, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("ldm: error: out of memory (try a smaller --n, --batch or --batch-size, or a larger -Xmx"
                    + " in LDM_JAVA_OPTS)");
        } catch (StackOverflowError e) {
            err.println("ldm: internal error: stack overflow");
        }
        err.flush();
        return LdmException.RUNTIME;
    }

    /** The configured command line with every command, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The configured command line for {@code args}: when the first argument names a command, that
     * command alone (what it parses and prints is the same; only the start is shorter), otherwise
     * every command, so that {@code ldm --help} lists them all and a misspelt name is refused as
     * before.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        System.setProperty("ai.djl.offline", "true");
        CommandLine cl = new CommandLine(new LdmCommand());
        Object named = args.length > 0 && args[0] != null ? LdmCommand.command(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(named);
        } else {
            LdmCommand.NAMES.forEach(name -> cl.addSubcommand(LdmCommand.command(name)));
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        return cl;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("ldm: " + oneLine(e.getMessage()));
        err.println("try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
        return LdmException.BAD_INPUT;
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed != null && isVerbose(parsed);
        Throwable cause = e;
        if (cause instanceof LdmException le) {
            err.println("ldm: error: " + oneLine(le.getMessage()));
        } else {
            err.println("ldm: internal error: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage()))
                    + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return cause instanceof LdmException le ? le.exitCode() : LdmException.RUNTIME;
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A message as one printable line. Messages quote file contents (a prompt line, a PNG's settings),
     * so other control characters are shown as escapes: a hostile file cannot send terminal
     * escape sequences to the user's terminal through an error message.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return printable(s.replace('\r', ' ').replace('\n', ' ')).strip();
    }

    /** Control characters other than newline and tab as {@code \x1b}-style escapes. */
    public static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\n' && c != '\t';
            if (control && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(control ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
