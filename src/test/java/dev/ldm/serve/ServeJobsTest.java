package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous jobs: progress as server-sent events, queue positions, cancel and interrupt of one job only. */
class ServeJobsTest {
    @TempDir
    static Path tmp;
    static ServeFixture serve;

    @BeforeAll
    static void start() {
        serve = ServeFixture.start(tmp);
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    private static String submit(String body) {
        ServeFixture.Response r = serve.post("/ldm/v1/jobs", body);
        assertEquals(202, r.status(), r.toString());
        return r.json().get("id").getAsString();
    }

    /** Submits a job too long to finish by itself during the test, and waits until it renders. */
    private static String runningLongJob() throws Exception {
        String id = submit("{\"prompt\": \"a long job\", \"steps\": 10000}");
        Job job = serve.renderer.job(id).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.snapshot().step() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(JobStatus.RUNNING, job.snapshot().status());
        return id;
    }

    private static JsonObject await(String id) throws Exception {
        serve.renderer.job(id).orElseThrow().done().get(120, TimeUnit.SECONDS);
        return serve.get("/ldm/v1/jobs/" + id).json();
    }

    @Test
    void progressArrivesAsServerSentEvents() throws Exception {
        // the job waits behind a long one while the stream opens, so the stream sees it queued, then running
        String ahead = runningLongJob();
        String id = submit("{\"prompt\": \"a red circle\", \"steps\": 12, \"seed\": 1}");
        HttpResponse<Stream<String>> r = serve.http.send(HttpRequest.newBuilder(
                URI.create(serve.url("/ldm/v1/jobs/" + id + "/events"))).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertEquals(200, serve.delete("/ldm/v1/jobs/" + ahead).status());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        List<JsonObject> data = new ArrayList<>();
        String event = null;
        for (Iterator<String> it = r.body().iterator(); it.hasNext();) {
            String line = it.next();
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                events.add(event);
                data.add(JsonParser.parseString(line.substring(5).strip()).getAsJsonObject());
            }
        }
        assertEquals("done", events.get(events.size() - 1), events.toString());
        JsonObject last = data.get(data.size() - 1);
        assertEquals("done", last.get("status").getAsString());
        assertEquals(1, last.getAsJsonArray("images").size());
        int previous = -1;
        for (JsonObject d : data) {
            int step = d.get("step").getAsInt();
            assertTrue(step >= previous, "steps go forward: " + data);
            previous = step;
        }
        assertTrue(events.stream().filter("progress"::equals).count() >= 1, events.toString());
        // a finished job's stream is its final state at once
        HttpResponse<String> again = serve.http.send(HttpRequest.newBuilder(
                URI.create(serve.url("/ldm/v1/jobs/" + id + "/events"))).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(again.body().startsWith("event: done"), again.body());
        assertEquals(406, serve.get("/ldm/v1/jobs/" + id + "/events").status());
    }

    @Test
    void cancelStopsOnlyThatJob() throws Exception {
        String running = runningLongJob();
        String second = submit("{\"prompt\": \"second\", \"steps\": 3}");
        String third = submit("{\"prompt\": \"third\", \"steps\": 3}");
        assertEquals(1, serve.get("/ldm/v1/jobs/" + second).json().get("position").getAsInt());
        assertEquals(2, serve.get("/ldm/v1/jobs/" + third).json().get("position").getAsInt());

        ServeFixture.Response c = serve.delete("/ldm/v1/jobs/" + third);
        assertEquals(200, c.status());
        assertEquals("cancelled", c.json().get("status").getAsString());
        assertEquals("queued", serve.get("/ldm/v1/jobs/" + second).json().get("status").getAsString());

        assertEquals(200, serve.delete("/ldm/v1/jobs/" + running).status());
        JsonObject stopped = await(running);
        assertEquals("cancelled", stopped.get("status").getAsString());
        assertTrue(stopped.get("step").getAsInt() < 10_000, stopped.toString());
        assertEquals(0, stopped.getAsJsonArray("images").size());

        JsonObject done = await(second);
        assertEquals("done", done.get("status").getAsString(), done.toString());
        assertEquals(1, done.getAsJsonArray("images").size());
        assertEquals(404, serve.delete("/ldm/v1/jobs/unknown").status());
    }

    @Test
    void interruptCancelsTheRunningJobAndTheQueueGoesOn() throws Exception {
        String running = runningLongJob();
        CompletableFuture<ServeFixture.Response> waiting = CompletableFuture.supplyAsync(
                () -> serve.post("/sdapi/v1/txt2img", "{\"prompt\": \"after the interrupt\", \"steps\": 3}"));
        while (serve.renderer.waitingCount() < 1) {
            Thread.sleep(2);
        }
        JsonObject progress = serve.get("/sdapi/v1/progress").json();
        assertEquals(2, progress.getAsJsonObject("state").get("job_count").getAsInt());
        assertTrue(progress.get("progress").getAsDouble() > 0);
        assertEquals(10_000, progress.getAsJsonObject("state").get("sampling_steps").getAsInt());

        JsonObject r = serve.post("/sdapi/v1/interrupt", "").json();
        assertEquals(running, r.get("interrupted").getAsString());
        assertEquals("cancelled", await(running).get("status").getAsString());
        ServeFixture.Response after = waiting.get(120, TimeUnit.SECONDS);
        assertEquals(200, after.status(), after.toString());
        assertEquals(1, ServeFixture.images(after.json()).size());
    }

    @Test
    void aBlockingRequestWhoseJobIsInterruptedGets409() throws Exception {
        CompletableFuture<ServeFixture.Response> blocked = CompletableFuture.supplyAsync(
                () -> serve.post("/sdapi/v1/txt2img", "{\"prompt\": \"a long job\", \"steps\": 10000}"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (serve.renderer.running().map(j -> j.snapshot().step()).orElse(0) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        serve.post("/sdapi/v1/interrupt", "");
        ServeFixture.Response r = blocked.get(120, TimeUnit.SECONDS);
        assertEquals(409, r.status(), r.toString());
        assertTrue(r.json().get("error").getAsString().contains("cancelled"), r.toString());
    }
}
