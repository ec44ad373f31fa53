package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.data.ShapesDataset;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path shapes;

    @BeforeAll
    static void makeModelAndData() {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        shapes = tmp.resolve("shapes");
        ShapesDataset.generate(shapes, 2, TestModels.SIZE, 0);
    }

    @Test
    void trainsAJudgeThenEvaluatesTheTinyModelAndWritesEvalJson() throws Exception {
        Path clf = tmp.resolve("clf");
        CliRunner.Run t = CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                clf.toString(), "--size", "8", "--widths", "4,8", "--steps", "3", "--batch", "8", "--json");
        assertEquals(0, t.code(), t.err());
        JsonObject info = JsonParser.parseString(Json.readText(clf.resolve("classifier.json"))).getAsJsonObject();
        assertEquals(49, info.getAsJsonArray("classes").size());
        assertEquals(49, info.getAsJsonObject("ceiling").get("scored").getAsInt(), "one of 2 per class held out");

        Path prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "# evaluation prompts\na red circle\n\na blue star\nan unknown thing\n");
        CliRunner.Run r = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(),
                "--data", shapes.toString(), "--prompts", prompts.toString(), "--k", "1", "--steps", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject report = JsonParser.parseString(Json.readText(model.resolve("eval.json"))).getAsJsonObject();
        assertEquals(JsonParser.parseString(r.out()), report, "--json prints what eval.json stores");
        for (String key : List.of("format", "settings", "ceiling", "real", "prompts", "fid", "vae", "seconds")) {
            assertTrue(report.has(key), key + " in " + report.keySet());
        }
        JsonObject p = report.getAsJsonObject("prompts");
        assertEquals(3, p.get("prompts").getAsInt());
        assertEquals(3, p.get("images").getAsInt());
        assertEquals(2, p.getAsJsonObject("accuracy").get("scored").getAsInt());
        assertEquals(1, p.getAsJsonObject("accuracy").get("unknown").getAsInt());
        JsonObject fid = report.getAsJsonObject("fid");
        assertEquals(3, fid.get("generated").getAsInt());
        assertEquals(95, fid.get("reference").getAsInt());
        assertTrue(fid.get("fid").getAsDouble() >= 0 && fid.get("floor").getAsDouble() >= 0, fid.toString());
        assertEquals(2, fid.get("promptImagesCount").getAsInt(), "the real images of the two known prompts, k = 1");
        assertTrue(fid.get("promptImages").getAsDouble() >= 0, fid.toString());
        assertEquals(98, report.getAsJsonObject("vae").get("images").getAsInt());
        double roundTrip = report.getAsJsonObject("vae").get("fid").getAsDouble();
        assertTrue(Double.isFinite(roundTrip) && roundTrip >= 0, "the round trip's FID: " + roundTrip);
        assertEquals(1, report.getAsJsonObject("settings").getAsJsonObject("generation").get("k").getAsInt());

        Path quick = tmp.resolve("quick.json"); // the same figures without the autoencoder's
        r = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(), "--data",
                shapes.toString(), "--prompts", prompts.toString(), "--k", "1", "--steps", "1", "--no-vae-round-trip",
                "--report", quick.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("VAE reconstruction: not measured"), r.out());
        JsonObject q = JsonParser.parseString(Json.readText(quick)).getAsJsonObject();
        assertFalse(q.has("vae") && !q.get("vae").isJsonNull(), q.keySet().toString());
        for (String key : List.of("real", "prompts", "fid")) {
            assertEquals(report.get(key), q.get(key), key);
        }

        // one step samples at t = 1 alone: an interval holding it is plain guidance, and the report says so
        Path interval = tmp.resolve("interval.json");
        r = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(), "--data",
                shapes.toString(), "--prompts", prompts.toString(), "--k", "1", "--steps", "1", "--no-vae-round-trip",
                "--cfg-interval", "0.5,1", "--report", interval.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" for t in [0.5,1], "), r.out());
        JsonObject iv = JsonParser.parseString(Json.readText(interval)).getAsJsonObject();
        assertEquals("0.5,1", iv.getAsJsonObject("settings").getAsJsonObject("generation").get("cfgInterval")
                .getAsString());
        assertFalse(q.getAsJsonObject("settings").getAsJsonObject("generation").has("cfgInterval"));
        for (String key : List.of("real", "prompts", "fid")) {
            assertEquals(q.get(key), iv.get(key), key);
        }
    }

    /** Two --data folders are read as one set: the same real-image figures as the folder they were split from. */
    @Test
    void repeatedDataFoldersActAsOneReferenceSet() throws Exception {
        Path clf = tmp.resolve("clf-split");
        assertEquals(0, CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                clf.toString(), "--size", "8", "--widths", "4,8", "--steps", "3", "--batch", "8", "--json").code());
        Path a = tmp.resolve("split/a");
        Path b = tmp.resolve("split/b");
        Files.createDirectories(a);
        Files.createDirectories(b);
        List<Path> pngs;
        try (var files = Files.list(shapes)) {
            pngs = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        for (int i = 0; i < pngs.size(); i++) {
            Path to = i < pngs.size() / 3 ? a : b;
            String stem = pngs.get(i).getFileName().toString().replace(".png", "");
            Files.copy(pngs.get(i), to.resolve(stem + ".png"));
            Files.copy(shapes.resolve(stem + ".txt"), to.resolve(stem + ".txt"));
        }
        Path prompts = tmp.resolve("prompts-split.txt");
        Files.writeString(prompts, "a red circle\n");
        JsonObject[] reports = new JsonObject[2];
        List<List<String>> dataArgs = List.of(List.of("--data", shapes.toString()),
                List.of("--data", a.toString(), "--data", b.toString()));
        for (int i = 0; i < 2; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("eval", "--model", model.toString(), "--classifier",
                    clf.toString(), "--prompts", prompts.toString(), "--k", "1", "--steps", "1", "--json", "--report",
                    tmp.resolve("split-" + i + ".json").toString()));
            args.addAll(dataArgs.get(i));
            CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            reports[i] = JsonParser.parseString(r.out()).getAsJsonObject();
        }
        assertEquals(98, reports[1].getAsJsonObject("real").get("scored").getAsInt()
                + reports[1].getAsJsonObject("real").get("unknown").getAsInt());
        assertEquals(reports[0].get("real"), reports[1].get("real"));
        assertEquals(reports[0].getAsJsonObject("vae").get("images"), reports[1].getAsJsonObject("vae").get("images"));
        assertEquals(a + ", " + b, reports[1].getAsJsonObject("settings").get("data").getAsString());
    }

    @Test
    void promptsNamingAColourAreCheckedImageByImage() throws Exception {
        Path clf = tmp.resolve("clf-colour");
        CliRunner.Run t = CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                clf.toString(), "--size", "8", "--widths", "4,8", "--steps", "2", "--batch", "8");
        assertEquals(0, t.code(), t.err());
        Path prompts = tmp.resolve("colours.jsonl");
        Files.writeString(prompts, "{\"prompt\": \"a red circle\", \"label\": \"a red circle\", \"colour\": \"red\","
                + " \"group\": \"coloured\"}\n"
                + "{\"prompt\": \"a blue star\", \"group\": \"plain\"}\n"
                + "{\"prompt\": \"a green square\", \"label\": \"a green square\", \"colour\": \"green\","
                + " \"group\": \"coloured\"}\n");
        Path report = tmp.resolve("colour-eval.json");
        CliRunner.Run r = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(),
                "--data", shapes.toString(), "--prompts", prompts.toString(), "--k", "3", "--steps", "2", "--cfg", "2",
                "--sampler", "euler", "--seed", "5", "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("images showing the prompt's colour"), r.out());
        JsonObject p = JsonParser.parseString(Json.readText(report)).getAsJsonObject().getAsJsonObject("prompts");
        com.google.gson.JsonArray per = p.getAsJsonArray("perPrompt");
        assertTrue(per.get(1).getAsJsonObject().get("colourHits") == null, "no colour asked, none checked");
        int hits = 0;
        for (int i : new int[] {0, 2}) {
            JsonObject one = per.get(i).getAsJsonObject();
            // the same images from ldm generate (prompt i has seeds 5 + 3i ...), measured here
            Path out = tmp.resolve("colour-gen-" + i);
            CliRunner.Run g = CliRunner.run("generate", one.get("prompt").getAsString(), "--model", model.toString(),
                    "--n", "3", "--seed", Integer.toString(5 + 3 * i), "--steps", "2", "--cfg", "2", "--sampler", "euler",
                    "--out", out.toString());
            assertEquals(0, g.code(), g.err());
            int expected = 0;
            try (var files = Files.list(out)) {
                for (Path png : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    expected += dev.ldm.image.DominantColour.of(dev.ldm.image.Images.read(png))
                            .filter(one.get("colour").getAsString()::equals).isPresent() ? 1 : 0;
                }
            }
            assertEquals(expected, one.get("colourHits").getAsInt(), one.toString());
            hits += expected;
        }
        // each group's figures are the sums of its prompts' hits, in the order the groups first appear
        com.google.gson.JsonArray groups = p.getAsJsonArray("groups");
        assertEquals(2, groups.size());
        int[][] members = {{0, 2}, {1}};
        for (int g = 0; g < 2; g++) {
            JsonObject group = groups.get(g).getAsJsonObject();
            assertEquals(g == 0 ? "coloured" : "plain", group.get("name").getAsString());
            assertEquals(members[g].length, group.get("prompts").getAsInt());
            int images = 0;
            int top1 = 0;
            int top5 = 0;
            for (int i : members[g]) {
                JsonObject one = per.get(i).getAsJsonObject();
                assertEquals(group.get("name").getAsString(), one.get("group").getAsString());
                images += one.get("images").getAsInt();
                top1 += one.get("top1").getAsInt();
                top5 += one.get("top5").getAsInt();
            }
            JsonObject acc = group.getAsJsonObject("accuracy");
            assertEquals(images, acc.get("scored").getAsInt() + acc.get("unknown").getAsInt());
            if (acc.get("scored").getAsInt() > 0) {
                assertEquals((double) top1 / images, acc.get("top1").getAsDouble(), 1e-12);
                assertEquals((double) top5 / images, acc.get("top5").getAsDouble(), 1e-12);
            }
            assertTrue(r.out().contains("group " + group.get("name").getAsString() + " (" + members[g].length
                    + " prompts)"), r.out());
        }
        JsonObject colour = p.getAsJsonObject("colour");
        assertEquals(6, colour.get("images").getAsInt());
        assertEquals(hits, colour.get("hits").getAsInt());
        assertEquals(hits / 6.0, colour.get("accuracy").getAsDouble(), 1e-12);

        Files.writeString(prompts, "{\"prompt\": \"a red circle\", \"colour\": \"crimson\"}\n");
        CliRunner.Run bad = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(),
                "--data", shapes.toString(), "--prompts", prompts.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("\"colour\" must be one of"), bad.err());
        Files.writeString(prompts, "{\"prompt\": \"a red circle\", \"group\": \" \"}\n");
        CliRunner.Run blank = CliRunner.run("eval", "--model", model.toString(), "--classifier", clf.toString(),
                "--data", shapes.toString(), "--prompts", prompts.toString());
        assertEquals(2, blank.code());
        assertTrue(blank.err().contains("\"group\" must be a name"), blank.err());
    }

    @Test
    void missingOptionsAndBadLabelsAreBadInput() {
        CliRunner.Run r = CliRunner.run("eval", "--model", model.toString(), "--data", shapes.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--classifier"), r.err());
        CliRunner.Run l = CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                tmp.resolve("x").toString(), "--label", "colour");
        assertEquals(2, l.code());
        assertTrue(l.err().contains("--label"), l.err());
    }
}
