package dev.ldm.util;

import dev.ldm.LdmException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Ctrl-C and {@code kill} (SIGINT, SIGTERM) during a long job, handled at a safe point.
 *
 * <p>The JVM answers those signals by running its shutdown hooks and then exiting the process, which
 * runs libtorch's static destructors. A thread still inside a PyTorch operation then crashes the JVM
 * (SIGSEGV in {@code at::accelerator::getAccelerator}, an {@code hs_err_pid*.log} in the working folder,
 * seen when a training run was stopped). So a job loop opens a {@link #guard()} and calls {@link
 * #check(String)} or {@link #atStepBoundary} between steps; the hook that {@code Main} installs marks the
 * request and, while a guard is open, waits up to {@link #WAIT_SECONDS} for the command to end. The job
 * stops at its next step boundary (a trainer first writes a checkpoint), the command prints one line and
 * ends, and only then does the process exit, with the signal's status (130 for SIGINT, 143 for SIGTERM).
 * Without a hook (tests that call {@code Main.run} in-process) nothing is ever requested.
 */
public final class Interrupt {
    /** Exit status of an interrupted command run in-process (what a shell shows for SIGINT). */
    public static final int EXIT_CODE = 130;
    /** The longest the hook waits for a guarded job to reach its next step boundary. */
    public static final int WAIT_SECONDS = 120;

    private static final AtomicInteger GUARDS = new AtomicInteger();
    private static final CountDownLatch ENDED = new CountDownLatch(1);
    private static volatile boolean requested;
    private static volatile boolean installed;

    private Interrupt() {}

    /** Registers the shutdown hook; {@code Main} calls it once before it runs a command. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested = true;
            if (GUARDS.get() > 0) {
                try {
                    ENDED.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "ldm-interrupt"));
    }

    /** {@code Main} calls this when the command has returned: the hook need not wait any longer. */
    public static void commandEnded() {
        ENDED.countDown();
    }

    /** Throws the interruption, described by {@code where} ("after step 1200 ..."), when a stop was requested. */
    public static void check(String where) {
        if (requested) {
            throw interrupted(where);
        }
    }

    /**
     * A training loop's step boundary, after {@code done} of {@code total} steps: when a stop was requested,
     * gives {@code checkpoint} the finished steps not yet saved ({@code done > saved}; null: the run keeps
     * no checkpoints) and throws the interruption, with {@code resume} (how to continue; may be empty).
     */
    public static void atStepBoundary(long done, long total, long saved, LongConsumer checkpoint, String resume) {
        if (!requested) {
            return;
        }
        if (checkpoint != null && done > saved) {
            checkpoint.accept(done);
        }
        throw interrupted("after step " + done + " of " + total + (resume.isEmpty() ? "" : " (" + resume + ")"));
    }

    /** The one-line error of an interrupted job. */
    private static LdmException interrupted(String where) {
        return new LdmException(EXIT_CODE, "interrupted " + where);
    }

    /** Marks a job loop that stops at its step boundaries; close it when the loop has ended. */
    public static Guard guard() {
        GUARDS.incrementAndGet();
        return new Guard();
    }

    /** An open guarded region; {@link #close()} is idempotent. */
    public static final class Guard implements AutoCloseable {
        private boolean closed;

        private Guard() {}

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                GUARDS.decrementAndGet();
            }
        }
    }
}
