package dev.ldm.serve;

import dev.ldm.generate.GenerateRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One request to render: its settings, where it is ({@link JobStatus}, sampler step), and when
 * finished its images or error. Thread-safe: the worker updates it, request threads read
 * {@link #snapshot()}s and wait on {@link #done()}; listeners hear every change.
 */
public final class Job {
    /**
     * What a job is at one moment.
     *
     * @param id the job's id
     * @param request its settings
     * @param status where it is
     * @param step sampler steps done
     * @param total sampler steps in all (0 until it starts)
     * @param images the images, once done
     * @param error why it failed or was cancelled, or null
     * @param badInput true when it failed because of its own input (an HTTP 400, not a 500)
     * @param created when it was submitted (ms since the epoch)
     * @param started when rendering began, or 0
     * @param finished when it finished, or 0
     */
    public record Snapshot(String id, GenerateRequest request, JobStatus status, int step, int total,
            List<JobImage> images, String error, boolean badInput, long created, long started, long finished) {
        /** Progress from 0 to 1: steps done over steps, 1 when finished. */
        public double progress() {
            return status.finished() ? 1 : total == 0 ? 0 : (double) step / total;
        }
    }

    /** Thrown from the sampler's step listener to stop a cancelled job between two steps. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final String id;
    private final GenerateRequest request;
    private final long created = System.currentTimeMillis();
    private final CompletableFuture<Snapshot> done = new CompletableFuture<>();
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private JobStatus status = JobStatus.QUEUED;
    private int step;
    private int total;
    private List<JobImage> images = List.of();
    private String error;
    private boolean badInput;
    private long started;
    private long finished;
    private volatile boolean cancelRequested;

    Job(String id, GenerateRequest request) {
        this.id = id;
        this.request = request;
    }

    public String id() {
        return id;
    }

    public GenerateRequest request() {
        return request;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(id, request, status, step, total, images, error, badInput, created, started, finished);
    }

    /** Completes with the final snapshot when the job is done, failed or cancelled; never exceptionally. */
    public CompletableFuture<Snapshot> done() {
        return done;
    }

    /** Calls {@code listener} on every change from now on (on the thread that made it). */
    public void listen(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<Snapshot> listener) {
        listeners.remove(listener);
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Asks the job to stop: at once when waiting, after the current sampler step when running. */
    void requestCancel() {
        cancelRequested = true;
    }

    void start(int steps) {
        synchronized (this) {
            status = JobStatus.RUNNING;
            started = System.currentTimeMillis();
            total = steps;
        }
        changed();
    }

    /** A sampler step finished; stops the job here when it was cancelled. */
    void step(int doneSteps, int totalSteps) {
        synchronized (this) {
            step = doneSteps;
            total = totalSteps;
        }
        changed();
        if (cancelRequested) {
            throw new Cancelled();
        }
    }

    void succeed(List<JobImage> result) {
        finish(JobStatus.DONE, List.copyOf(result), null, false);
    }

    void fail(String message, boolean isBadInput) {
        finish(JobStatus.FAILED, List.of(), message, isBadInput);
    }

    void cancel(String message) {
        finish(JobStatus.CANCELLED, List.of(), message, false);
    }

    private void finish(JobStatus s, List<JobImage> result, String message, boolean isBadInput) {
        Snapshot last;
        synchronized (this) {
            if (status.finished()) {
                return;
            }
            status = s;
            images = result;
            error = message;
            badInput = isBadInput;
            finished = System.currentTimeMillis();
            last = snapshot();
        }
        changed();
        done.complete(last);
    }

    /** Tells the listeners again (the job's place in the queue changed). */
    void touch() {
        changed();
    }

    private void changed() {
        if (listeners.isEmpty()) {
            return;
        }
        Snapshot s = snapshot();
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                listeners.remove(l); // a listener that fails (a client gone) hears no more; the job goes on
            }
        }
    }
}
