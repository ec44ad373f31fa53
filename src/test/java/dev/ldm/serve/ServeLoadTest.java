package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 requests at once: every one is answered, with images (200) or a refusal with Retry-After
 * (503), never more jobs held than the queue allows, and the heap back near where it started.
 */
class ServeLoadTest {
    static final int REQUESTS = 50;

    @TempDir
    Path tmp;

    @Test
    void fiftyConcurrentRequestsAreAllAnsweredWithBoundedMemory() throws Exception {
        try (ServeFixture serve = ServeFixture.start(tmp)) {
            serve.post("/sdapi/v1/txt2img", "{\"prompt\": \"warm up\", \"steps\": 2}");
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            long t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String path = i % 3 == 0 ? "/v1/images/generations" : i % 3 == 1 ? "/sdapi/v1/txt2img" : "/ldm/v1/jobs";
                String body = "{\"prompt\": \"request " + i + "\", \"steps\": 3, \""
                        + (path.startsWith("/sdapi") ? "batch_size" : "n") + "\": 2}";
                answers.add(serve.http.sendAsync(HttpRequest.newBuilder(URI.create(serve.url(path)))
                        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(180, TimeUnit.SECONDS);
                statuses.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 503) {
                    assertTrue(r.headers().firstValue("Retry-After").isPresent());
                } else {
                    assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (Job j : serve.renderer.jobs()) {
                j.done().get(120, TimeUnit.SECONDS);
            }
            System.gc();
            long after = memory.getHeapMemoryUsage().getUsed();
            System.out.printf("ServeLoadTest: %d requests in %d ms: %s; at most %d jobs held at once (queue %d);"
                    + " heap %.1f MB before, %.1f MB after%n", REQUESTS, millis, statuses, serve.renderer.peakJobs(),
                    ServeFixture.LIMITS.queueSize(), before / 1e6, after / 1e6);
            assertEquals(REQUESTS, statuses.values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(statuses.getOrDefault(503, 0) > 0, "50 requests at once should overflow a queue of 4: " + statuses);
            assertTrue(statuses.getOrDefault(200, 0) + statuses.getOrDefault(202, 0) >= 5, statuses.toString());
            assertTrue(serve.renderer.peakJobs() <= ServeFixture.LIMITS.queueSize() + 1,
                    "jobs held at once: " + serve.renderer.peakJobs());
            assertTrue(after - before < 64L << 20, "the heap grew by " + (after - before) / 1e6 + " MB");
            assertEquals(200, serve.get("/sdapi/v1/options").status());
        }
    }
}
