package dev.ldm;

/**
 * A failure that the command line reports as one line. {@link #exitCode()} is 2 for bad usage or
 * bad input (the user can fix it) and 1 for runtime failures.
 */
public class LdmException extends RuntimeException {
    public static final int BAD_INPUT = 2;
    public static final int RUNTIME = 1;

    private final int exitCode;

    public LdmException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LdmException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad usage or input: exit code 2. */
    public static LdmException badInput(String message) {
        return new LdmException(BAD_INPUT, message);
    }

    public static LdmException badInput(String message, Throwable cause) {
        return new LdmException(BAD_INPUT, message, cause);
    }

    /** A runtime failure: exit code 1. */
    public static LdmException failure(String message, Throwable cause) {
        return new LdmException(RUNTIME, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
