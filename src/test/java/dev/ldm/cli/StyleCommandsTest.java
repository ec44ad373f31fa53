package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.data.ShapesDataset;
import dev.ldm.image.Images;
import dev.ldm.image.Restyle;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm data restyle}, {@code ldm eval style} and {@code ldm eval --lora}, on the tiny model. */
class StyleCommandsTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path shapes;
    static Path outlined;

    @BeforeAll
    static void makeModelAndData() {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        shapes = tmp.resolve("shapes");
        ShapesDataset.generate(shapes, 1, 16, 0);
        outlined = tmp.resolve("outlined");
        CliRunner.Run r = CliRunner.run("data", "restyle", "--from", shapes.toString(), "--out", outlined.toString(),
                "--style", "outline");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void restyleKeepsPathsAndCaptionsAndDrawsTheStyle() throws Exception {
        List<Sample> in = ImageFolder.scan(shapes);
        List<Sample> out = ImageFolder.scan(outlined);
        assertEquals(in.size(), out.size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(shapes.relativize(in.get(i).image()), outlined.relativize(out.get(i).image()));
            assertEquals(in.get(i).captions(), out.get(i).captions());
            java.awt.image.BufferedImage expected = Restyle.OUTLINE.apply(Images.read(in.get(i).image()));
            java.awt.image.BufferedImage got = Images.read(out.get(i).image());
            int w = expected.getWidth();
            assertArrayEquals(expected.getRGB(0, 0, w, w, null, 0, w), got.getRGB(0, 0, w, w, null, 0, w));
        }
        CliRunner.Run bad = CliRunner.run("data", "restyle", "--from", shapes.toString(), "--out",
                shapes.resolve("inside").toString(), "--style", "outline");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("must not be inside --from"), bad.err());
    }

    @Test
    void aTunedModelThatIsTheBaseMovedNowhere() throws Exception {
        Path prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "a red circle\na blue star\n");
        CliRunner.Run r = CliRunner.run("eval", "style", "--model", model.toString(), "--tuned", model.toString(),
                "--style", "outline", "--prompts", prompts.toString(), "--real", outlined.toString(), "--k", "2",
                "--steps", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(j.get("base").getAsDouble(), j.get("tuned").getAsDouble());
        assertEquals(0.0, j.get("moved").getAsDouble());
        assertEquals(4, j.get("imagesPerModel").getAsInt());
        // the real images' trait, measured here at the model's size
        double real = 0;
        List<Sample> samples = ImageFolder.scan(outlined);
        for (Sample s : samples) {
            real += Restyle.OUTLINE.trait(Images.toImage(Images.toTensor(Images.read(s.image()), TestModels.SIZE)));
        }
        assertEquals(real / samples.size(), j.get("real").getAsDouble(), 1e-12);

        Path one = tmp.resolve("one.txt");
        Files.writeString(one, "a red circle\n");
        CliRunner.Run bad = CliRunner.run("eval", "style", "--model", model.toString(), "--tuned", model.toString(),
                "--style", "outline", "--prompts", prompts.toString(), "--base-prompts", one.toString(), "--real",
                outlined.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("pair line by line"), bad.err());
    }

    @Test
    void evalWithALoraOfWeightZeroReportsTheBaseModelBesideTheLora() throws Exception {
        Path lora = tmp.resolve("lora");
        CliRunner.Run ft = CliRunner.run("finetune", "--from", model.toString(), "--data", shapes.toString(), "--out",
                lora.toString(), "--lora", "2", "--steps", "2", "--batch", "2", "--json");
        assertEquals(0, ft.code(), ft.err());
        Path clf = tmp.resolve("clf");
        CliRunner.Run t = CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                clf.toString(), "--size", "8", "--widths", "4,8", "--steps", "2", "--batch", "8", "--json");
        assertEquals(0, t.code(), t.err());
        Path prompts = tmp.resolve("eval-prompts.txt");
        Files.writeString(prompts, "a red circle\na blue star\n");
        String[] common = {"eval", "--model", model.toString(), "--classifier", clf.toString(), "--data",
                shapes.toString(), "--prompts", prompts.toString(), "--k", "1", "--steps", "1", "--json"};
        CliRunner.Run plain = CliRunner.run(common);
        assertEquals(0, plain.code(), plain.err());
        String[] withLora = java.util.stream.Stream.concat(java.util.Arrays.stream(common),
                java.util.stream.Stream.of("--lora", lora.resolve("lora.safetensors") + ":0")).toArray(String[]::new);
        CliRunner.Run zero = CliRunner.run(withLora);
        assertEquals(0, zero.code(), zero.err());
        JsonObject a = JsonParser.parseString(plain.out()).getAsJsonObject();
        JsonObject b = JsonParser.parseString(zero.out()).getAsJsonObject();
        assertEquals(a.get("prompts"), b.get("prompts"), "a LoRA at weight 0 draws what the base draws");
        assertEquals(a.get("fid"), b.get("fid"));
        assertTrue(b.getAsJsonObject("settings").get("modelName").getAsString().contains("@0"),
                b.getAsJsonObject("settings").toString());
        assertEquals(b, JsonParser.parseString(Json.readText(lora.resolve("eval.json"))),
                "the report goes beside the LoRA, not into the base model");
    }
}
