package dev.ldm.util;

import dev.ldm.LdmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A small fixed pool for independent tasks (rendering or checking one image each). Results come
 * back in input order whatever the thread count, so callers stay deterministic; the first failure
 * is rethrown as it was (an {@link LdmException} keeps its one-line message and exit code) and the
 * remaining tasks are cancelled.
 */
public final class Parallel {
    /** Most threads ldm asks for. */
    public static final int MAX_THREADS = 64;

    private Parallel() {}

    /** The default pool size: the processors available to this JVM. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    /** {@code f} applied to every item, in input order, on {@code threads} threads. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> f, int threads) {
        return map(items, f, threads, (i, r) -> { });
    }

    /** A result as it is collected: its index and value, in input order, on the calling thread. */
    public interface Progress<R> {
        void done(int index, R result);
    }

    /** As {@link #map(List, Function, int)}, reporting each result in order as it is collected. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> f, int threads, Progress<R> progress) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1.." + MAX_THREADS + ", not " + threads);
        }
        List<R> out = new ArrayList<>(items.size());
        if (threads == 1 || items.size() < 2) {
            for (int i = 0; i < items.size(); i++) {
                out.add(f.apply(items.get(i)));
                progress.done(i, out.get(i));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ldm-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> f.apply(item)));
            }
            for (int i = 0; i < futures.size(); i++) {
                out.add(futures.get(i).get());
                progress.done(i, out.get(i));
            }
            return out;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LdmException.failure("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return LdmException.failure(String.valueOf(cause.getMessage()), cause);
    }
}
