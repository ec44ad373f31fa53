package dev.ldm.spark;

import static dev.ldm.io.Closeables.closeQuietly;

import dev.ldm.generate.Generator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models an executor JVM has loaded, kept for the JVM's life: a task borrows a generator and
 * gives it back when it ends, so the model is loaded once per task slot (an executor with C cores
 * runs C tasks at once, each with its own generator), not once per task. A generator is used by one
 * task at a time: its lazily opened parts and the DJL arrays of a call are not shared between threads.
 */
final class GeneratorPool {
    private static final Map<ModelKey, Deque<Generator>> IDLE = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private GeneratorPool() {}

    /** An idle generator of this model, or a newly loaded one when every loaded one is in use. */
    static Generator borrow(ModelKey key) {
        synchronized (IDLE) {
            Generator g = IDLE.getOrDefault(key, new ArrayDeque<>()).pollFirst();
            if (g != null) {
                return g;
            }
        }
        Generator g = key.open(); // outside the lock: two task slots load at the same time
        LOADS.incrementAndGet();
        return g;
    }

    /** Returns a generator for the next task. */
    static void giveBack(ModelKey key, Generator g) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(g);
        }
    }

    /** Models loaded in this JVM so far. */
    static int loads() {
        return LOADS.get();
    }

    /** Closes the idle generators (when the executors ran inside the driver and the job is over). */
    static void closeIdle() {
        synchronized (IDLE) {
            IDLE.values().forEach(d -> d.forEach(g -> closeQuietly(g)));
            IDLE.clear();
        }
    }
}
