package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.data.ShapesDataset;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm finetune --prior-prompts}: the base model's own images, drawn once, trained on beside the data. */
class PriorPreservationTest {
    @TempDir
    Path tmp;

    @Test
    void priorImagesAreTheBaseModelsOwnDrawnOnceAndTrainedOn() throws Exception {
        Path model = tmp.resolve("model");
        TestModels.tiny(model);
        Path data = tmp.resolve("data");
        int dataImages = ShapesDataset.generate(data, 1, TestModels.SIZE, 0).size();
        Path prompts = tmp.resolve("prior.txt");
        Files.writeString(prompts, "# what the model drew before\na red circle\n\na blue star\n");
        Path out = tmp.resolve("out");
        String[] args = {"finetune", "--from", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--lora", "2", "--steps", "2", "--batch", "2", "--prior-prompts", prompts.toString(),
                "--prior-per-prompt", "2", "--seed", "5", "--json"};
        CliRunner.Run r = CliRunner.run(args);
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(dataImages + 4, o.get("images").getAsInt(), "the data's images and 2 x 2 prior images");

        Path prior = out.resolve("prior");
        List<Path> pngs;
        try (Stream<Path> s = Files.list(prior)) {
            pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(List.of("00000-0.png", "00000-1.png", "00001-0.png", "00001-1.png"),
                pngs.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("a blue star", Files.readString(prior.resolve("00001-1.txt")));

        // each is the image 'ldm generate' draws for its prompt, seed (seed + i·K + k) and the model's defaults
        CliRunner.Run g = CliRunner.run("generate", "a blue star", "--model", model.toString(), "--seed", "7", "--n",
                "2", "--out", tmp.resolve("gen").toString());
        assertEquals(0, g.code(), g.err());
        List<Path> generated;
        try (Stream<Path> s = Files.list(tmp.resolve("gen"))) {
            generated = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(2, generated.size());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(pixels(generated.get(k)), pixels(prior.resolve("00001-" + k + ".png")), "image " + k);
        }

        // a re-run reuses them (a resumed run must train on the same rows)
        FileTime before = Files.getLastModifiedTime(pngs.get(0));
        Files.setLastModifiedTime(pngs.get(0), FileTime.fromMillis(before.toMillis() - 60_000));
        FileTime aged = Files.getLastModifiedTime(pngs.get(0));
        String[] more = args.clone();
        more[java.util.Arrays.asList(more).indexOf("--steps") + 1] = "3";
        CliRunner.Run again = CliRunner.run(Stream.concat(Stream.of(more), Stream.of("--resume")).toArray(String[]::new));
        assertEquals(0, again.code(), again.err());
        assertEquals(aged, Files.getLastModifiedTime(pngs.get(0)));
        assertTrue(again.out().contains("\"resumedFrom\": 2"), again.out());
    }

    /** A model folder's prior-prompts.txt is the default; --no-prior turns it off; a full fine-tune keeps the file. */
    @Test
    void theBaseModelsOwnPriorPromptsAreTheDefault() throws Exception {
        Path model = tmp.resolve("model");
        TestModels.tiny(model);
        Files.writeString(model.resolve(ModelFolder.PRIOR_PROMPTS), "# the model's own\na red circle\na blue star\n");
        Path data = tmp.resolve("data");
        int dataImages = ShapesDataset.generate(data, 1, TestModels.SIZE, 0).size();
        List<String> base = List.of("finetune", "--from", model.toString(), "--data", data.toString(), "--steps", "1",
                "--batch", "2", "--json");

        Path full = tmp.resolve("full");
        CliRunner.Run r = run(base, "--out", full.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(dataImages + 2, JsonParser.parseString(r.out()).getAsJsonObject().get("images").getAsInt());
        assertTrue(r.err().contains("ldm: prior preservation with the 2 prompts of "), r.err());
        assertEquals("a blue star", Files.readString(full.resolve("prior/00001-0.txt")));
        assertEquals(Files.readString(model.resolve(ModelFolder.PRIOR_PROMPTS)),
                Files.readString(full.resolve(ModelFolder.PRIOR_PROMPTS)), "the tuned model keeps the list");

        Path alone = tmp.resolve("alone");
        CliRunner.Run a = run(base, "--out", alone.toString(), "--lora", "2", "--no-prior");
        assertEquals(0, a.code(), a.err());
        assertEquals(dataImages, JsonParser.parseString(a.out()).getAsJsonObject().get("images").getAsInt());
        assertFalse(Files.exists(alone.resolve("prior")));

        CliRunner.Run both = run(base, "--out", tmp.resolve("both").toString(), "--no-prior", "--prior-prompts",
                model.resolve(ModelFolder.PRIOR_PROMPTS).toString());
        assertEquals(2, both.code(), both.err());
        assertEquals(1, both.err().strip().lines().count(), both.err());
    }

    private static CliRunner.Run run(List<String> args, String... more) {
        return CliRunner.run(Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void aPromptFileWithoutPromptsIsRefused() throws Exception {
        Path model = tmp.resolve("model");
        TestModels.tiny(model);
        Path data = tmp.resolve("data");
        ShapesDataset.generate(data, 1, TestModels.SIZE, 0);
        Path prompts = tmp.resolve("empty.txt");
        Files.writeString(prompts, "# nothing here\n\n");
        CliRunner.Run r = CliRunner.run("finetune", "--from", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("out").toString(), "--lora", "2", "--steps", "1", "--prior-prompts", prompts.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("empty.txt: no prompts"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private static int[] pixels(Path png) {
        BufferedImage img = Images.read(png);
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
