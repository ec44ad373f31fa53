package dev.ldm.serve;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.lora.LoraRef;
import dev.ldm.request.OutputWriter;
import dev.ldm.request.RenderPlan;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one model, loaded once, and the one worker thread that renders with it: jobs wait in a
 * bounded queue (a full queue refuses with 503 and a Retry-After), run one at a time, report each
 * sampler step, and can be cancelled one by one. Each image is encoded exactly as
 * {@code ldm generate} writes it ({@link OutputWriter#encode}) and, with a save folder, written there
 * atomically before its job counts as done, so a finished job's files survive a kill. Finished jobs
 * are kept, with their images, up to {@link ServeLimits#keepJobs()}.
 */
public final class Renderer implements AutoCloseable {
    private final Generator generator;
    private final ModelInfo model;
    private final ServeLimits limits;
    private final OutputWriter writer;
    private final InitImages inits;
    private final Object lock = new Object();
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final ArrayDeque<Job> finished = new ArrayDeque<>();
    private final SecureRandom random = new SecureRandom();
    private final Thread worker;
    private Job running;
    private boolean closed;
    private int peak;
    /** Mean wall time of a finished job, for Retry-After (starts at a guess of 2 s). */
    private double meanJobMillis = 2000;

    /**
     * A renderer over an open generator (the caller closes it after this).
     *
     * @param saveDir where finished images are written (outputs/), or null to keep them in memory only
     */
    public Renderer(Generator generator, ModelInfo model, ServeLimits limits, Path saveDir) {
        this.generator = generator;
        this.model = model;
        this.limits = limits;
        this.writer = saveDir == null ? null : new OutputWriter(saveDir, model.name(), model.hash(),
                generator.ditRuntime());
        this.inits = InitImages.open(saveDir, limits.maxImageSide());
        this.worker = new Thread(this::work, "ldm-serve-worker");
        worker.setDaemon(true);
        worker.start();
    }

    /** What clients see of a model folder opened as {@code generator}: the names {@code ldm generate} writes. */
    public static ModelInfo describe(ModelFolder folder, Generator generator) {
        int size = folder.manifest().defaults().size();
        generator.latentSide(size); // the model's default size must be one it draws
        return new ModelInfo(LoraRef.modelName(folder.name(), List.of()), LoraRef.modelHash(folder.modelHash(), List.of()),
                folder.manifest().defaults(), size, generator.sizes(), generator.ditRuntime());
    }

    public ModelInfo model() {
        return model;
    }

    public ServeLimits limits() {
        return limits;
    }

    /** Where uploaded init images are kept. */
    public InitImages inits() {
        return inits;
    }

    /**
     * Queues a request.
     *
     * @throws ApiError 503 when the queue is full or the server is closing
     */
    public Job submit(GenerateRequest request) {
        synchronized (lock) {
            if (closed) {
                throw ApiError.of(503, null, "the server is shutting down");
            }
            if (waiting.size() >= limits.queueSize()) {
                throw ApiError.busy("the queue is full (" + waiting.size() + " jobs waiting); try again later",
                        (int) Math.ceil((waiting.size() + 1) * meanJobMillis / 1000));
            }
            Job job = new Job(HexFormat.of().formatHex(bytes()), request);
            waiting.add(job);
            jobs.put(job.id(), job);
            peak = Math.max(peak, waiting.size() + (running == null ? 0 : 1));
            lock.notifyAll();
            return job;
        }
    }

    private byte[] bytes() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return b;
    }

    public Optional<Job> job(String id) {
        synchronized (lock) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    /** Jobs known now (waiting, running, and the finished ones kept), oldest first. */
    public List<Job> jobs() {
        synchronized (lock) {
            return new ArrayList<>(jobs.values());
        }
    }

    /** 0 for the running job, 1, 2, ... for the waiting ones in order, -1 for a finished or unknown one. */
    public int position(Job job) {
        // A job is finished (its done() complete) a moment before the worker lets go of it as running.
        if (job.snapshot().status().finished()) {
            return -1;
        }
        synchronized (lock) {
            if (job == running) {
                return 0;
            }
            int i = 1;
            for (Job j : waiting) {
                if (j == job) {
                    return i;
                }
                i++;
            }
            return -1;
        }
    }

    /** The job rendering now, if any. */
    public Optional<Job> running() {
        synchronized (lock) {
            return Optional.ofNullable(running);
        }
    }

    /** Jobs waiting behind the running one. */
    public int waitingCount() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** The most jobs ever held at once (waiting and running): never more than the queue size + 1. */
    public int peakJobs() {
        synchronized (lock) {
            return peak;
        }
    }

    /**
     * Cancels one job: a waiting one at once, the running one after its current sampler step. Other
     * jobs are not touched.
     *
     * @return the job, or empty when unknown
     */
    public Optional<Job> cancel(String id) {
        Job job;
        boolean wasWaiting;
        synchronized (lock) {
            job = jobs.get(id);
            if (job == null) {
                return Optional.empty();
            }
            wasWaiting = waiting.remove(job);
            job.requestCancel();
        }
        if (wasWaiting) {
            job.cancel("cancelled before it started");
            retire(job);
            positionsChanged();
        }
        return Optional.of(job);
    }

    /** Cancels the running job (AUTOMATIC1111's interrupt); the queue goes on. */
    public Optional<Job> interrupt() {
        Job job = running().orElse(null);
        return job == null ? Optional.empty() : cancel(job.id());
    }

    private void work() {
        while (true) {
            Job job;
            synchronized (lock) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                job = waiting.poll();
                running = job;
            }
            positionsChanged();
            long t0 = System.nanoTime();
            render(job);
            synchronized (lock) {
                running = null;
                meanJobMillis = 0.8 * meanJobMillis + 0.2 * (System.nanoTime() - t0) / 1e6;
            }
            retire(job);
        }
    }

    private void render(Job job) {
        GenerateRequest r = job.request();
        if (job.cancelRequested()) {
            job.cancel("cancelled before it started");
            return;
        }
        job.start(r.steps());
        try {
            List<GeneratedImage> images = new RenderPlan(r, null).render(generator, job::step, null);
            List<JobImage> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                GeneratedImage img = images.get(i);
                byte[] png = OutputWriter.encode(img, model.name(), model.hash(), generator.ditRuntime());
                String file = writer == null ? null : writer.write(img.request(), png).getFileName().toString();
                out.add(new JobImage(i, png, img.request(), file));
            }
            job.succeed(out);
        } catch (Job.Cancelled e) {
            Job.Snapshot at = job.snapshot();
            job.cancel("cancelled after " + at.step() + " of " + at.total() + " steps");
        } catch (LdmException e) {
            job.fail(e.getMessage(), e.exitCode() == LdmException.BAD_INPUT);
        } catch (RuntimeException | Error e) { // the worker must outlive any one job (OutOfMemoryError too)
            job.fail("internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), false);
        }
    }

    /** Keeps a finished job for later questions, forgetting the oldest beyond the limit. */
    private void retire(Job job) {
        synchronized (lock) {
            finished.add(job);
            while (finished.size() > limits.keepJobs()) {
                jobs.remove(finished.poll().id());
            }
        }
    }

    /** Tells every waiting job's listeners that the queue moved. */
    private void positionsChanged() {
        List<Job> moved;
        synchronized (lock) {
            moved = new ArrayList<>(waiting);
        }
        moved.forEach(Job::touch);
    }

    /**
     * Stops: waiting jobs are cancelled, the running one after its current step; waits for the
     * worker up to {@code waitMillis}. The generator stays open (the caller owns it).
     */
    public void close(long waitMillis) {
        List<Job> dropped;
        synchronized (lock) {
            closed = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
            if (running != null) {
                running.requestCancel();
            }
            lock.notifyAll();
        }
        dropped.forEach(j -> j.cancel("the server shut down"));
        try {
            worker.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inits.close();
    }

    @Override
    public void close() {
        close(60_000);
    }
}
