package dev.ldm.spark;

import dev.ldm.LdmException;

/**
 * A failed Spark job as one of ldm's errors: the {@link LdmException} a task threw keeps its
 * message and exit code (a changed init image, another model on an executor); anything else is a
 * runtime failure with the first line of the task's error.
 */
final class SparkErrors {
    private SparkErrors() {}

    static LdmException of(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof LdmException le) {
                return le;
            }
        }
        return LdmException.failure("the Spark job failed: " + firstLine(e), e);
    }

    /** The first line of the innermost message, without Spark's "Job aborted due to ..." preamble. */
    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
