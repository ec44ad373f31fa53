package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind gets a 4xx with {@code {"error": ..., "field": ...}} naming the field,
 * a full queue gets 503 with Retry-After, and the server stays up and keeps rendering.
 */
class ServeErrorsTest {
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

    /** Posts {@code body} and checks the status, the field and a word of the message. */
    private static JsonObject refused(String path, String body, int status, String field, String words) {
        ServeFixture.Response r = serve.post(path, body);
        assertEquals(status, r.status(), body + " -> " + r);
        JsonObject o = r.json();
        assertEquals(field, o.get("field").isJsonNull() ? null : o.get("field").getAsString(), body + " -> " + r);
        assertTrue(o.get("error").getAsString().contains(words), body + " -> " + r);
        return o;
    }

    @Test
    void malformedJsonAndWrongTypesNameTheField() {
        String t2i = "/sdapi/v1/txt2img";
        refused(t2i, "{\"prompt\": \"x\",", 400, null, "malformed JSON");
        refused(t2i, "{prompt: 'x'}", 400, null, "malformed JSON");
        refused(t2i, "{\"prompt\": \"x\"} {}", 400, null, "malformed JSON");
        refused(t2i, "[1, 2]", 400, null, "must be a JSON object");
        refused(t2i, "", 400, null, "JSON object");
        refused(t2i, "[".repeat(100_000), 400, null, "malformed JSON");
        refused(t2i, "{\"prompt\": 5}", 400, "prompt", "must be a string");
        refused(t2i, "{\"steps\": \"20\"}", 400, "steps", "must be a number");
        refused(t2i, "{\"steps\": 2.5}", 400, "steps", "whole number");
        refused(t2i, "{\"steps\": true}", 400, "steps", "must be a number");
        refused(t2i, "{\"cfg_scale\": {}}", 400, "cfg_scale", "must be a number");
        refused(t2i, "{\"width\": [8]}", 400, "width", "must be a number");
        refused(t2i, "{\"sampler_name\": 3}", 400, "sampler_name", "must be a string");
        refused(t2i, "{\"negative_prompt\": [\"a\"]}", 400, "negative_prompt", "must be a string");
    }

    @Test
    void hugeNumbersAndLimitsAreRefused() {
        String t2i = "/sdapi/v1/txt2img";
        refused(t2i, "{\"steps\": 1e400}", 400, "steps", "between 1 and 10000");
        refused(t2i, "{\"steps\": 99999999999999999999999}", 400, "steps", "between");
        refused(t2i, "{\"steps\": 1e99999999999999}", 400, "steps", "number");
        refused(t2i, "{\"seed\": 1e30}", 400, "seed", "between");
        refused(t2i, "{\"cfg_scale\": 1e300}", 400, "cfg_scale", "out of range");
        refused(t2i, "{\"cfg_scale\": 5000}", 400, "cfg_scale", "cfg_scale must be a finite number");
        refused(t2i, "{\"steps\": 0}", 400, "steps", "between 1");
        refused(t2i, "{\"batch_size\": 9}", 400, "batch_size", "between 1 and 8");
        refused(t2i, "{\"batch_size\": 4, \"n_iter\": 4}", 400, "n_iter", "more than the limit");
        refused(t2i, "{\"width\": 512, \"height\": 512}", 400, "width", "this model draws 8-pixel images only; leave it out for 8x8");
        refused(t2i, "{\"width\": 8, \"height\": 16}", 400, "height", "square");
        refused(t2i, "{\"width\": 100000}", 400, "width", "between 1 and 512");
        refused(t2i, "{\"prompt\": \"" + "x".repeat(501) + "\"}", 400, "prompt", "at most 500");
        refused("/v1/images/generations", "{\"prompt\": \"x\", \"size\": \"8x9\"}", 400, "size", "square");
        refused("/v1/images/generations", "{\"prompt\": \"x\", \"size\": \"big\"}", 400, "size", "WIDTHxHEIGHT");
        refused("/v1/images/generations", "{\"size\": \"8x8\"}", 400, "prompt", "missing");
        refused("/v1/images/generations", "{\"prompt\": \"x\", \"n\": 1000}", 400, "n", "between 1 and 8");
        refused("/ldm/v1/jobs", "{\"prompt\": \"x\", \"colour\": \"red\"}", 400, "colour", "unknown field");
        refused("/ldm/v1/jobs", "{\"prompt\": \"x\", \"sampler\": \"dpm\"}", 400, "sampler", "unknown");
        refused("/ldm/v1/jobs", "{\"prompt\": \"x\", \"strength\": 0.5}", 400, "strength", "needs init_image");
        refused("/ldm/v1/jobs", "{\"steps\": 3}", 400, "prompt", "missing");
    }

    @Test
    void initImagesAreDataNeverUrlsOrPaths() {
        String i2i = "/sdapi/v1/img2img";
        refused(i2i, "{\"prompt\": \"x\"}", 400, "init_images", "needs an init image");
        refused(i2i, "{\"init_images\": \"abc\"}", 400, "init_images", "list");
        refused(i2i, "{\"init_images\": [\"http://127.0.0.1:7860/x.png\"]}", 400, "init_images[0]", "URLs are refused");
        refused(i2i, "{\"init_images\": [\"file:///etc/passwd\"]}", 400, "init_images[0]", "URLs are refused");
        refused(i2i, "{\"init_images\": [\"/etc/passwd\"]}", 400, "init_images[0]", "not a supported image");
        refused(i2i, "{\"init_images\": [\"!!!\"]}", 400, "init_images[0]", "not base64");
        refused(i2i, "{\"init_images\": [\"" + b64("not an image".getBytes(StandardCharsets.UTF_8)) + "\"]}", 400,
                "init_images[0]", "not a supported image");
        refused("/ldm/v1/jobs", "{\"prompt\": \"x\", \"init_image\": \"data:text/plain,hello\"}", 400, "init_image",
                "base64");
        refused("/sdapi/v1/png-info", "{\"image\": \"" + b64(new byte[] {1, 2, 3}) + "\"}", 400, "image", "not a PNG");
        refused("/sdapi/v1/png-info", "{}", 400, "image", "base64 PNG");
    }

    @Test
    void bombImagesAreRefusedFromTheirHeader() throws Exception {
        // a 60-byte PNG that declares 100000 x 100000 pixels (40 GB decoded), and one just over the limit
        for (int side : new int[] {100_000, 513}) {
            JsonObject o = refused("/sdapi/v1/img2img", "{\"init_images\": [\"" + b64(pngHeader(side, side))
                    + "\"]}", 400, "init_images[0]", "declares " + side + "x" + side);
            assertTrue(o.get("error").getAsString().contains("at most 512"), o.toString());
        }
    }

    /** A PNG signature, an IHDR chunk declaring the size, an empty IDAT and IEND. */
    static byte[] pngHeader(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void hugeBodiesAreRefusedWith413() {
        String big = "{\"prompt\": \"" + "x".repeat(16 << 20) + "\"}";
        // the server reads what it refuses before answering: without that, a client still sending
        // gets its connection reset now and then instead of the answer (once in a CI run), so ask often
        for (int i = 0; i < 8; i++) {
            ServeFixture.Response declared = serve.post("/sdapi/v1/txt2img", big);
            assertEquals(413, declared.status(), declared.toString());
            assertTrue(declared.json().get("error").getAsString().contains("larger than 1048576 bytes"));
        }
        // without a declared length (chunked): read up to the limit, the rest discarded, then refused
        for (int i = 0; i < 8; i++) {
            ServeFixture.Response chunked = serve.send(HttpRequest.newBuilder(URI.create(serve.url("/ldm/v1/jobs")))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
            assertEquals(413, chunked.status(), chunked.toString());
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheServerStaysUp() throws Exception {
        Job blocker = serve.renderer.submit(longJob());
        while (serve.renderer.position(blocker) != 0) {
            Thread.sleep(5);
        }
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < ServeFixture.LIMITS.queueSize(); i++) {
            ServeFixture.Response r = serve.post("/ldm/v1/jobs", "{\"prompt\": \"x\", \"steps\": 2}");
            assertEquals(202, r.status(), r.toString());
            assertEquals(i + 1, r.json().get("position").getAsInt());
            queued.add(r.json().get("id").getAsString());
        }
        for (String path : List.of("/ldm/v1/jobs", "/sdapi/v1/txt2img", "/v1/images/generations")) {
            ServeFixture.Response full = serve.post(path, "{\"prompt\": \"x\", \"steps\": 2}");
            assertEquals(503, full.status(), path + " " + full);
            assertTrue(Integer.parseInt(full.header("Retry-After")) >= 1, full.header("Retry-After"));
            assertTrue(full.json().get("error").getAsString().contains("queue is full"));
        }
        JsonObject progress = serve.get("/sdapi/v1/progress").json();
        assertEquals(1 + queued.size(), progress.getAsJsonObject("state").get("job_count").getAsInt());
        for (String id : queued) {
            assertEquals(200, serve.delete("/ldm/v1/jobs/" + id).status());
        }
        serve.renderer.cancel(blocker.id());
        assertEquals(JobStatus.CANCELLED, blocker.done().get().status());
        assertTrue(serve.renderer.peakJobs() <= ServeFixture.LIMITS.queueSize() + 1);

        // still up, still rendering
        ServeFixture.Response after = serve.post("/sdapi/v1/txt2img", "{\"prompt\": \"x\", \"steps\": 2}");
        assertEquals(200, after.status(), after.toString());
        assertEquals(1, ServeFixture.images(after.json()).size());
    }

    /** A job long enough to still be running when the test acts on it (it is always cancelled). */
    static dev.ldm.generate.GenerateRequest longJob() {
        return new dev.ldm.generate.GenerateRequest("a long job", "", 10_000, 3, 1, 1, 8, "euler", 1);
    }
}
