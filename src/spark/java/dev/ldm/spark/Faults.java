package dev.ldm.spark;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a test asks for through system properties of the executor JVM; without them, nothing
 * happens. They let the tests fail a task or stop a job at a chosen moment with real tasks, real
 * files and a real kill, instead of hoping a timer hits the right moment.
 * <ul>
 *   <li>{@value #FAIL_PARTITION}=P: the first attempt of partition P throws after writing its first
 *       image (Spark retries it when the master allows retries, {@code local[N,F]}).
 *   <li>{@value #HOLD_AFTER}=K: every task stops after writing K images and waits to be killed.
 * </ul>
 */
final class Faults {
    static final String FAIL_PARTITION = "ldm.spark.test.failPartition";
    static final String HOLD_AFTER = "ldm.spark.test.holdAfter";
    /** Failures thrown in this JVM, for the tests to check that one happened. */
    static final AtomicInteger THROWN = new AtomicInteger();

    private final int partition;
    private final int attempt;

    Faults(int partition, int attempt) {
        this.partition = partition;
        this.attempt = attempt;
    }

    /** Called after each image a task writes, with the task's count so far. */
    void written(String file, int count) {
        if (count == 1 && attempt == 0 && Integer.getInteger(FAIL_PARTITION, -1) == partition) {
            THROWN.incrementAndGet();
            throw new IllegalStateException("injected failure of partition " + partition + " after " + file);
        }
        if (count == Integer.getInteger(HOLD_AFTER, -1)) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("held task interrupted", e);
            }
        }
    }
}
