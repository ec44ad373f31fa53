package dev.ldm.io;

/** Closing what may already be broken, on paths that are failing or shutting down anyway. */
public final class Closeables {
    private Closeables() {}

    /** Closes {@code c} (if not null), ignoring what closing throws. */
    public static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the caller is already failing or shutting down: the first error is the one to report
            }
        }
    }
}
