package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.image.PngWriter;
import dev.ldm.request.RequestField;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every row of the request-field table means the same in each dialect the server reads: ldm's own
 * names (the job API), AUTOMATIC1111's web API keys and OpenAI's; and unknown fields are refused by
 * ldm's API and ignored by the others.
 */
class RequestReaderTest {
    static final ModelInfo MODEL = new ModelInfo("m", "0123456789", new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0),
            8, new dev.ldm.generate.SizeRange(8, 8, 4, 8), DiTRuntime.ONNX);
    static InitImages inits;
    static RequestReader reader;
    static String png;

    @BeforeAll
    static void start() {
        inits = InitImages.open(null, 64);
        reader = new RequestReader(MODEL, ServeFixture.LIMITS, inits);
        png = Base64.getEncoder().encodeToString(PngWriter.encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB),
                Map.of()));
    }

    @AfterAll
    static void stop() {
        inits.close();
    }

    private static GenerateRequest read(String json, RequestReader.Dialect d) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        return reader.read(o, d, List.of()).request();
    }

    /** A JSON value for a field in one dialect. */
    private static String value(RequestField f, boolean a1111) {
        return switch (f) {
            case PROMPT, NEGATIVE -> "\"a fox\"";
            case STEPS -> "7";
            case CFG -> "2.5";
            case SEED -> "9000000000";
            case N -> "2";
            case SIZE -> "8";
            case SAMPLER -> a1111 ? "\"Heun\"" : "\"heun\"";
            case SHIFT -> "1.5";
            case CFG_INTERVAL -> "\"0.2,0.85\"";
            case INIT_IMAGE -> a1111 ? "[\"" + png + "\"]" : "\"" + png + "\"";
            case STRENGTH -> "0.25";
            case DRAFT_STRENGTH -> "0.5";
            case DRAFT_ANCHOR -> "2";
            case DRAFT_COLOUR -> "\"free\"";
            case TAG_GUIDANCE -> "1.5";
        };
    }

    @Test
    void ldmsNamesAndAutomatic1111sKeysAgreeOnEveryField() {
        for (RequestField f : RequestField.values()) {
            if (f.a1111Json().isEmpty()) {
                continue; // ldm's own (shift): AUTOMATIC1111 has no key for it
            }
            String ldmKey = f.jsonAlias() != null ? f.jsonAlias() : f.option();
            String extra = f == RequestField.STRENGTH ? ", \"init_image\": \"" + png + "\"" : "";
            String extraA = f == RequestField.STRENGTH ? ", \"init_images\": [\"" + png + "\"]" : "";
            GenerateRequest ldm = read("{\"prompt\": \"p\", \"seed\": 1, \"" + ldmKey + "\": " + value(f, false) + extra
                    + "}", RequestReader.Dialect.LDM);
            StringBuilder a = new StringBuilder("{\"prompt\": \"p\", \"seed\": 1");
            for (String key : f.a1111Json()) {
                a.append(", \"").append(key).append("\": ").append(value(f, true));
                if (f == RequestField.SAMPLER) {
                    break; // sampler_index is the older alias of sampler_name
                }
            }
            boolean img2img = f == RequestField.INIT_IMAGE || f == RequestField.STRENGTH;
            GenerateRequest a1111 = read(a + extraA + "}", img2img ? RequestReader.Dialect.A1111_IMG2IMG
                    : RequestReader.Dialect.A1111_TXT2IMG);
            assertEquals(ldm, a1111, f + " under " + f.a1111Json());
        }
    }

    @Test
    void openAiUsesLdmsNamesWithSizeAsWidthByHeight() {
        GenerateRequest openAi = read("{\"prompt\": \"a fox\", \"n\": 3, \"size\": \"8x8\", \"model\": \"x\"}",
                RequestReader.Dialect.OPENAI);
        assertEquals(3, openAi.n());
        assertEquals(8, openAi.size());
        assertEquals(8, read("{\"prompt\": \"a fox\", \"size\": \"auto\"}", RequestReader.Dialect.OPENAI).size());
    }

    /** A model that draws a range of sizes takes any of them in every dialect, and names the range otherwise. */
    @Test
    void sizesInTheModelsRangeAreTakenAndOthersRefusedNamingIt() {
        ModelInfo ranged = new ModelInfo("m", "0123456789", new ModelManifest.Defaults(16, 30, 3.0, "euler", 1.0),
                16, new dev.ldm.generate.SizeRange(16, 20, 2, 16), DiTRuntime.ONNX);
        RequestReader r = new RequestReader(ranged, ServeFixture.LIMITS, inits);
        java.util.function.BiFunction<String, RequestReader.Dialect, GenerateRequest> read =
                (json, d) -> r.read(JsonParser.parseString(json).getAsJsonObject(), d, List.of()).request();
        assertEquals(20, read.apply("{\"prompt\": \"x\", \"size\": \"20x20\"}", RequestReader.Dialect.OPENAI).size());
        assertEquals(18, read.apply("{\"prompt\": \"x\", \"width\": 18, \"height\": 18}",
                RequestReader.Dialect.A1111_TXT2IMG).size());
        assertEquals(16, read.apply("{\"prompt\": \"x\"}", RequestReader.Dialect.A1111_TXT2IMG).size());
        ApiError e = assertThrows(ApiError.class, () -> read.apply("{\"prompt\": \"x\", \"width\": 15}",
                RequestReader.Dialect.A1111_TXT2IMG));
        assertEquals("width 15: this model draws 16 to 20 pixels in steps of 2 (trained at 16); leave it out for "
                + "16x16", e.getMessage());
    }

    @Test
    void automatic1111sConventions() {
        RequestReader.Read r = reader.read(JsonParser.parseString("{\"prompt\": \"x\", \"seed\": -1, \"batch_size\": 2,"
                + " \"n_iter\": 3, \"denoising_strength\": 0.7, \"enable_hr\": false, \"styles\": null,"
                + " \"sampler_index\": \"DPM++ 2M\"}").getAsJsonObject(), RequestReader.Dialect.A1111_TXT2IMG, List.of());
        assertEquals(6, r.request().n());
        assertEquals("heun", r.request().sampler());
        assertTrue(r.request().init() == null);
        assertTrue(r.ignored().containsAll(List.of("denoising_strength", "enable_hr")), r.ignored().toString());
        assertTrue(!r.ignored().contains("styles"), "nulls are skipped silently");
        assertEquals("", read("{}", RequestReader.Dialect.A1111_TXT2IMG).prompt());
        assertTrue(r.request().seed() >= 0, "seed -1 is a random seed");
    }

    @Test
    void automatic1111sHiresFixIsACascadesDraftStrength() {
        RequestReader cascade = new RequestReader(new ModelInfo("c", "0123456789",
                new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0, null, 0.5), 8,
                new dev.ldm.generate.SizeRange(8, 8, 4, 8), DiTRuntime.ONNX), ServeFixture.LIMITS, inits);
        java.util.function.Function<String, RequestReader.Read> txt2img = json -> cascade.read(
                JsonParser.parseString(json).getAsJsonObject(), RequestReader.Dialect.A1111_TXT2IMG, List.of());
        RequestReader.Read r = txt2img.apply("{\"prompt\": \"x\", \"enable_hr\": true, \"denoising_strength\": 0.3, "
                + "\"hr_scale\": 2}");
        assertEquals(0.3, r.request().draftStrength());
        assertEquals(List.of("hr_scale"), r.ignored());
        r = txt2img.apply("{\"prompt\": \"x\", \"enable_hr\": true}");
        assertEquals(0.5, r.request().draftStrength(), "without a strength: the model's");
        assertEquals(List.of(), r.ignored());
        r = txt2img.apply("{\"prompt\": \"x\", \"enable_hr\": false, \"denoising_strength\": 0.3}");
        assertEquals(0.5, r.request().draftStrength(), "no hires fix asked: the model's own way of drawing");
        assertEquals(List.of("enable_hr", "denoising_strength"), r.ignored());
        ApiError e = assertThrows(ApiError.class, () -> txt2img.apply("{\"enable_hr\": \"yes\"}"));
        assertEquals("enable_hr", e.field());
        e = assertThrows(ApiError.class, () -> txt2img.apply("{\"enable_hr\": true, \"denoising_strength\": 0}"));
        assertEquals("denoising_strength", e.field());
        assertTrue(e.getMessage().startsWith("denoising_strength"), e.getMessage());
        // img2img's denoising_strength stays the init image's
        r = cascade.read(JsonParser.parseString("{\"init_images\": [\"" + png + "\"], \"enable_hr\": true, "
                + "\"denoising_strength\": 0.3}").getAsJsonObject(), RequestReader.Dialect.A1111_IMG2IMG, List.of());
        assertEquals(0.3, r.request().init().strength());
        assertEquals(List.of("enable_hr"), r.ignored());
    }

    @Test
    void ldmsApiRefusesUnknownFields() {
        ApiError e = assertThrows(ApiError.class, () -> read("{\"prompt\": \"x\", \"cfg_scale\": 3}",
                RequestReader.Dialect.LDM));
        assertEquals("cfg_scale", e.field());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("known: prompt, negative, steps, cfg"), e.getMessage());
        // the init image of a batch file is a path; here it is only ever data
        ApiError path = assertThrows(ApiError.class, () -> read("{\"prompt\": \"x\", \"init_image\": \""
                + Path.of("/etc/hostname") + "\"}", RequestReader.Dialect.LDM));
        assertEquals("init_image", path.field());
    }
}
