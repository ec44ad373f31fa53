package dev.ldm.jobs;

/**
 * What a long job reports while it runs: warnings about its input and each optimizer step. Jobs
 * never print; the command line turns these events into progress bars or log lines
 * (its Progress printer), tests collect them.
 */
public interface JobEvents {
    /** A problem that does not stop the job (an unreadable image skipped). */
    void warning(String message);

    /** Optimizer step {@code step} of {@code total} finished with this loss and learning rate. */
    void step(long step, long total, double loss, double lr);

    /**
     * Optimizer step {@code step} of a run that also minimises a representation-alignment term
     * ({@code align}, beside the flow loss {@code loss}).
     */
    default void step(long step, long total, double loss, double align, double lr) {
        step(step, total, loss, lr);
    }

    /** A measurement taken during the run (for example the held-out PSNR at a step). */
    default void evaluated(long step, String measure, double value) {}

    /** Events that go nowhere. */
    JobEvents NONE = new JobEvents() {
        @Override
        public void warning(String message) {}

        @Override
        public void step(long step, long total, double loss, double lr) {}
    };
}
