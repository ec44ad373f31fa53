package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.cli.Main;
import dev.ldm.image.Images;
import dev.ldm.image.PngMetadata;
import dev.ldm.request.StoredSettings;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of {@code ldm serve} against a real server on the tiny model: AUTOMATIC1111's,
 * OpenAI's, ldm's job API and the page; and the PNGs, byte for byte against {@code ldm generate}
 * for the same request (txt2img, a batch, img2img).
 */
class ServeApiTest {
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

    /** Runs {@code ldm generate} in-process and returns the PNGs it wrote, in order. */
    static List<byte[]> generate(Path out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        all.addAll(List.of("--model", serve.folder.dir().toString(), "--out", out.toString()));
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        try (Stream<Path> s = Files.list(out)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            List<byte[]> pngs = new ArrayList<>();
            for (Path f : files) {
                pngs.add(Files.readAllBytes(f));
            }
            return pngs;
        }
    }

    @Test
    void txt2imgGivesTheBytesGenerateWrites() throws Exception {
        ServeFixture.Response r = serve.post("/sdapi/v1/txt2img", """
                {"prompt": "a red circle", "negative_prompt": "blue", "steps": 4, "cfg_scale": 2.5, "seed": 11,
                 "width": 8, "height": 8, "sampler_name": "Heun", "batch_size": 2, "restore_faces": false,
                 "override_settings": {}, "alwayson_scripts": {}, "script_args": [], "enable_hr": null, "tiling": null}
                """);
        assertEquals(200, r.status(), r.toString());
        JsonObject answer = r.json();
        List<byte[]> pngs = ServeFixture.images(answer);
        assertEquals(2, pngs.size());
        List<byte[]> cli = generate(tmp.resolve("cli-txt2img"), "a red circle", "--negative", "blue", "--steps", "4",
                "--cfg", "2.5", "--seed", "11", "--size", "8", "--sampler", "heun", "--n", "2");
        assertEquals(2, cli.size());
        assertArrayEquals(cli.get(0), pngs.get(0), "image 0: the server's PNG differs from generate's");
        assertArrayEquals(cli.get(1), pngs.get(1), "image 1: the server's PNG differs from generate's");
        assertNotEquals(Base64.getEncoder().encodeToString(pngs.get(0)), Base64.getEncoder().encodeToString(pngs.get(1)));

        assertEquals("a red circle", answer.getAsJsonObject("parameters").get("prompt").getAsString());
        JsonObject info = JsonParser.parseString(answer.get("info").getAsString()).getAsJsonObject();
        assertEquals(11, info.get("seed").getAsLong());
        assertEquals("[11,12]", info.get("all_seeds").toString());
        assertEquals("Heun", info.get("sampler_name").getAsString());
        assertEquals(2, info.get("batch_size").getAsInt());
        JsonArray infotexts = info.getAsJsonArray("infotexts");
        assertEquals(PngMetadata.read(pngs.get(1), Path.of("x")).get("parameters"), infotexts.get(1).getAsString());
        assertTrue(infotexts.get(0).getAsString().startsWith("a red circle\nNegative prompt: blue\nSteps: 4, "
                + "Sampler: Heun, CFG scale: 2.5, Seed: 11, Size: 8x8"), infotexts.get(0).getAsString());
        List<String> ignored = info.getAsJsonArray("ldm_ignored").asList().stream().map(JsonElement::getAsString).toList();
        assertTrue(ignored.containsAll(List.of("restore_faces", "override_settings", "alwayson_scripts", "script_args")),
                ignored.toString());
    }

    @Test
    void randomSeedsAreReturnedAndAnySamplerIsMapped() throws Exception {
        ServeFixture.Response r = serve.post("/sdapi/v1/txt2img",
                "{\"prompt\": \"fox\", \"seed\": -1, \"steps\": 2, \"sampler_name\": \"DPM++ 2M SDE Karras\", \"n_iter\": 2}");
        assertEquals(200, r.status(), r.toString());
        JsonObject info = JsonParser.parseString(r.json().get("info").getAsString()).getAsJsonObject();
        long seed = info.get("seed").getAsLong();
        assertEquals("[" + seed + "," + (seed + 1) + "]", info.get("all_seeds").toString());
        assertEquals("SDE", info.get("sampler_name").getAsString());
        assertEquals("sde", info.getAsJsonObject("ldm_sampler").get("sampler").getAsString());
        StoredSettings stored = settings(ServeFixture.images(r.json()).get(1));
        assertEquals(seed + 1, stored.options().seed());
    }

    @Test
    void img2imgTakesBase64AndDataUrlsAndMatchesGenerate() throws Exception {
        byte[] init = generate(tmp.resolve("init"), "a blue square", "--seed", "3", "--steps", "2").get(0);
        String b64 = Base64.getEncoder().encodeToString(init);
        ServeFixture.Response raw = serve.post("/sdapi/v1/img2img", "{\"prompt\": \"a red circle\", \"init_images\": [\""
                + b64 + "\"], \"denoising_strength\": 0.5, \"steps\": 4, \"seed\": 5}");
        assertEquals(200, raw.status(), raw.toString());
        ServeFixture.Response dataUrl = serve.post("/sdapi/v1/img2img", "{\"prompt\": \"a red circle\", "
                + "\"init_images\": [\"data:image/png;base64," + b64 + "\"], \"denoising_strength\": 0.5, \"steps\": 4, "
                + "\"seed\": 5}");
        byte[] png = ServeFixture.images(raw.json()).get(0);
        assertArrayEquals(png, ServeFixture.images(dataUrl.json()).get(0));
        assertTrue(raw.json().get("parameters").getAsJsonObject().get("init_images").isJsonNull());

        // the PNG names the init image the server stored; generate with that file gives the same bytes
        StoredSettings stored = settings(png);
        assertEquals(0.5, stored.options().strength());
        String path = stored.options().initImage();
        assertArrayEquals(init, Files.readAllBytes(Path.of(path)));
        List<byte[]> cli = generate(tmp.resolve("cli-img2img"), "a red circle", "--init-image", path, "--strength", "0.5",
                "--steps", "4", "--seed", "5");
        assertArrayEquals(cli.get(0), png);
    }

    private static StoredSettings settings(byte[] png) throws Exception {
        Path f = Files.createTempFile(tmp, "img", ".png");
        Files.write(f, png);
        return StoredSettings.read(f);
    }

    @Test
    void pngInfoReadsTheSettingsBack() {
        ServeFixture.Response gen = serve.post("/sdapi/v1/txt2img", "{\"prompt\": \"a green star\", \"seed\": 9, "
                + "\"steps\": 2, \"cfg_scale\": 4}");
        String b64 = gen.json().getAsJsonArray("images").get(0).getAsString();
        ServeFixture.Response r = serve.post("/sdapi/v1/png-info", "{\"image\": \"data:image/png;base64," + b64 + "\"}");
        assertEquals(200, r.status(), r.toString());
        JsonObject o = r.json();
        assertTrue(o.get("info").getAsString().startsWith("a green star\nSteps: 2, Sampler: Euler, CFG scale: 4.0, Seed: 9"),
                o.toString());
        assertEquals("a green star", o.getAsJsonObject("parameters").get("Prompt").getAsString());
        assertEquals(9, o.getAsJsonObject("parameters").get("Seed").getAsLong());
        assertEquals(8, o.getAsJsonObject("parameters").get("Size-1").getAsInt());
        assertTrue(o.getAsJsonObject("items").get("ldm").getAsString().contains("\"request\""));
    }

    @Test
    void modelOptionsSamplersAndProgress() {
        JsonArray models = serve.get("/sdapi/v1/sd-models").array();
        assertEquals(1, models.size());
        String title = models.get(0).getAsJsonObject().get("title").getAsString();
        assertEquals(serve.renderer.model().title(), title);
        assertEquals("tiny", models.get(0).getAsJsonObject().get("model_name").getAsString());

        JsonObject options = serve.get("/sdapi/v1/options").json();
        assertEquals(title, options.get("sd_model_checkpoint").getAsString());
        ServeFixture.Response echo = serve.post("/sdapi/v1/options", options.toString());
        assertEquals(200, echo.status(), echo.toString());
        ServeFixture.Response other = serve.post("/sdapi/v1/options", "{\"sd_model_checkpoint\": \"v1-5.safetensors\"}");
        assertEquals(400, other.status());
        assertEquals("sd_model_checkpoint", other.json().get("field").getAsString());

        JsonArray samplers = serve.get("/sdapi/v1/samplers").array();
        Map<String, String> mapped = new java.util.HashMap<>();
        for (JsonElement e : samplers) {
            JsonObject s = e.getAsJsonObject();
            mapped.put(s.get("name").getAsString(), s.getAsJsonObject("options").get("ldm_sampler").getAsString());
        }
        assertEquals("euler", mapped.get("Euler"));
        assertEquals("euler", mapped.get("Euler a"));
        assertEquals("heun", mapped.get("DPM++ 2M"));
        assertEquals("sde", mapped.get("DPM++ 2M SDE"));
        assertEquals("euler", mapped.get("DDIM"));

        JsonObject progress = serve.get("/sdapi/v1/progress").json();
        assertEquals(0.0, progress.get("progress").getAsDouble());
        assertEquals(0, progress.getAsJsonObject("state").get("job_count").getAsInt());
        JsonObject interrupt = serve.post("/sdapi/v1/interrupt", "").json();
        assertTrue(interrupt.get("interrupted").isJsonNull());
    }

    @Test
    void openAiGenerationsAndModels() throws Exception {
        ServeFixture.Response r = serve.post("/v1/images/generations", "{\"model\": \"whatever\", \"prompt\": \"a red "
                + "circle\", \"n\": 2, \"size\": \"8x8\", \"response_format\": \"b64_json\", \"quality\": \"hd\"}",
                "Authorization", "Bearer ignored-without-a-key");
        assertEquals(200, r.status(), r.toString());
        JsonArray data = r.json().getAsJsonArray("data");
        assertEquals(2, data.size());
        byte[] png = Base64.getDecoder().decode(data.get(0).getAsJsonObject().get("b64_json").getAsString());
        assertEquals(8, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
        assertEquals("a red circle", settings(png).options().prompt());
        JsonObject models = serve.get("/v1/models").json();
        assertEquals("list", models.get("object").getAsString());
        assertEquals("tiny", models.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString());
        ServeFixture.Response url = serve.post("/v1/images/generations", "{\"prompt\": \"x\", \"response_format\": \"url\"}");
        assertEquals(400, url.status());
        assertEquals("response_format", url.json().get("field").getAsString());
    }

    @Test
    void jobApiSubmitsFollowsAndServesImages() throws Exception {
        ServeFixture.Response info = serve.get("/ldm/v1/info");
        assertEquals(8, info.json().getAsJsonObject("model").get("size").getAsInt());
        assertEquals("{\"min\":8,\"max\":8,\"step\":4}",
                info.json().getAsJsonObject("model").get("sizes").toString());
        ServeFixture.Response sub = serve.post("/ldm/v1/jobs", "{\"prompt\": \"a red circle\", \"steps\": 3, \"seed\": 4,"
                + " \"n\": 2, \"sampler\": \"euler\"}");
        assertEquals(202, sub.status(), sub.toString());
        String id = sub.json().get("id").getAsString();
        assertEquals("/ldm/v1/jobs/" + id, sub.header("Location"));
        serve.renderer.job(id).orElseThrow().done().get();
        JsonObject job = serve.get("/ldm/v1/jobs/" + id).json();
        assertEquals("done", job.get("status").getAsString());
        assertTrue(job.get("position").isJsonNull());
        assertEquals(3, job.get("step").getAsInt());
        JsonArray images = job.getAsJsonArray("images");
        assertEquals(2, images.size());
        ServeFixture.Response png = serve.get(images.get(1).getAsJsonObject().get("url").getAsString());
        assertEquals(200, png.status());
        assertEquals("image/png", png.header("Content-Type"));
        assertEquals(5, settings(png.bytes()).options().seed());
        assertTrue(png.header("Content-Disposition").contains("a-red-circle-5.png"), png.header("Content-Disposition"));
        assertTrue(serve.get("/ldm/v1/jobs").array().size() >= 1);
        assertEquals(404, serve.get("/ldm/v1/jobs/" + id + "/images/7").status());
        assertEquals(404, serve.get("/ldm/v1/jobs/nope").status());
    }

    @Test
    void thePageAndItsFilesComeFromTheJar() {
        ServeFixture.Response page = serve.get("/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.body().contains("id=\"prompt\""));
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'none'"));
        for (String f : List.of("/app.js", "/app.css", "/favicon.svg")) {
            ServeFixture.Response r = serve.get(f);
            assertEquals(200, r.status(), f);
            assertTrue(r.bytes().length > 100, f);
        }
        // no external script, style or font
        for (String f : List.of("/", "/app.js", "/app.css")) {
            String text = serve.get(f).body();
            assertTrue(!text.matches("(?s).*(src|href)=\"(https?:)?//.*") && !text.contains("@import")
                    && !text.contains("url(http"), f + " loads something from elsewhere");
        }
        ServeFixture.Response missing = serve.get("/sdapi/v1/nothing");
        assertEquals(404, missing.status());
        assertNull(missing.json().get("field").isJsonNull() ? null : "field");
        assertTrue(missing.json().get("error").getAsString().contains("no such endpoint"));
    }
}
