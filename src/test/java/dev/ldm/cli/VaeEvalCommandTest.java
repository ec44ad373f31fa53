package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
import dev.ldm.data.ShapesDataset;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.vae.VaeDecoder;
import dev.ldm.vae.VaeEncoder;
import dev.ldm.vae.VaeEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm vae eval}: its figures agree with each other and with one image measured on its own. */
class VaeEvalCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;

    @BeforeAll
    static void makeModelAndData() throws Exception {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        data = tmp.resolve("data");
        ShapesDataset.generate(data.resolve("one"), 1, TestModels.SIZE, 0);
        ShapesDataset.generate(data.resolve("two"), 1, TestModels.SIZE, 1);
        Files.createDirectories(data.resolve("two/deeper"));
        Files.move(ImageFolder.scan(data.resolve("two")).get(0).image(), data.resolve("two/deeper/moved.png"));
    }

    @Test
    void figuresAgreeAndTheWorstImageMeasuresTheSameOnItsOwn() throws Exception {
        CliRunner.Run r = CliRunner.run("vae", "eval", "--vae", model.toString(), "--data", data.toString(),
                "--size", "8", "--worst", "3", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        int images = j.get("images").getAsInt();
        assertEquals(ImageFolder.scan(data).size(), images);

        // per-folder counts and means add up to the whole
        JsonObject folders = j.getAsJsonObject("folders");
        assertEquals(List.of("one", "two"), List.copyOf(folders.keySet()));
        assertEquals(ImageFolder.scan(data.resolve("two")).size(), folders.getAsJsonObject("two").get("images").getAsInt(),
                "a deeper folder counts in its first-level folder");
        double weighted = 0;
        int counted = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> e : folders.entrySet()) {
            JsonObject g = e.getValue().getAsJsonObject();
            weighted += g.get("images").getAsInt() * g.get("psnr").getAsDouble();
            counted += g.get("images").getAsInt();
        }
        assertEquals(images, counted);
        assertEquals(j.get("psnrMean").getAsDouble(), weighted / images, 1e-9);

        // order statistics
        double min = j.get("psnrMin").getAsDouble();
        assertTrue(min <= j.get("psnrP10").getAsDouble() && j.get("psnrP10").getAsDouble() <= j.get("psnrMedian")
                .getAsDouble());
        JsonArray worst = j.getAsJsonArray("worst");
        assertEquals(3, worst.size());
        assertEquals(min, worst.get(0).getAsJsonObject().get("psnr").getAsDouble());
        for (int i = 1; i < worst.size(); i++) {
            assertTrue(worst.get(i - 1).getAsJsonObject().get("psnr").getAsDouble()
                    <= worst.get(i).getAsJsonObject().get("psnr").getAsDouble());
        }

        // the worst image, encoded and decoded alone (a batch of one), measures what the batched run said
        Path file = data.resolve(worst.get(0).getAsJsonObject().get("file").getAsString());
        LoadedImages one = ImageFolder.load(List.of(ImageFolder.scan(data).stream()
                .filter(s -> s.image().equals(file)).findFirst().orElseThrow()), 8, w -> { });
        VaeParts parts = VaeParts.find(model);
        try (VaeEncoder enc = VaeEncoder.open(parts.encoder(), Device.CPU);
                VaeDecoder dec = VaeDecoder.open(parts.decoder(), Device.CPU)) {
            Tensor x = Tensor.stack(one.images());
            double alone = VaeEvaluation.psnr(x.data(), dec.decode(enc.encode(x)).data());
            assertEquals(min, alone, 1e-4);
        }
    }

    @Test
    void reportsSsimPerFolderAndWithAJudgeTheRfid() throws Exception {
        Path judge = tmp.resolve("judge");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            dev.ldm.judge.ClassifierConfig config = new dev.ldm.judge.ClassifierConfig(8, List.of(8, 16), 2);
            dev.ldm.metrics.Accuracy.Figures none = dev.ldm.metrics.TopK.score(new float[][] {{1f, 0f}}, new int[] {0})
                    .figures();
            dev.ldm.judge.TrainedClassifier.save(judge, new dev.ldm.judge.Classifier(m, config, 3),
                    new dev.ldm.judge.ClassifierInfo(dev.ldm.judge.ClassifierInfo.FORMAT, config, "caption",
                            List.of("a", "b"), new dev.ldm.judge.ClassifierTrainConfig(1, 1, 1e-3, 0, 0.0, 0, 0),
                            "test", 1, "none", none, none, 0));
        }
        CliRunner.Run r = CliRunner.run("vae", "eval", "--vae", model.toString(), "--data", data.toString(),
                "--size", "8", "--judge", judge.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        double ssim = j.get("ssimMean").getAsDouble();
        assertTrue(ssim > -1 && ssim < 1, "an untrained autoencoder's SSIM " + ssim);
        double weighted = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> e : j.getAsJsonObject("folders").entrySet()) {
            JsonObject g = e.getValue().getAsJsonObject();
            weighted += g.get("images").getAsInt() * g.get("ssim").getAsDouble();
        }
        assertEquals(ssim, weighted / j.get("images").getAsInt(), 1e-9);
        double rfid = j.getAsJsonObject("judge").get("rfid").getAsDouble();
        assertTrue(Double.isFinite(rfid) && rfid > 0, "rFID of an untrained autoencoder: " + rfid);

        CliRunner.Run text = CliRunner.run("vae", "eval", "--vae", model.toString(), "--data", data.toString(),
                "--size", "8", "--judge", judge.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "SSIM mean %.4f", ssim)), text.out());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "rFID %.3f", rfid)), text.out());
    }

    @Test
    void depthTwoGroupsBySecondLevelFolders() {
        CliRunner.Run r = CliRunner.run("vae", "eval", "--vae", model.toString(), "--data", data.toString(),
                "--size", "8", "--depth", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject folders = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("folders");
        assertTrue(folders.has("two/deeper"), folders.toString());
        assertEquals(1, folders.getAsJsonObject("two/deeper").get("images").getAsInt());
        assertEquals(ImageFolder.scan(data.resolve("two")).size() - 1, folders.getAsJsonObject("two").get("images")
                .getAsInt(), "images directly in two/ stay in two");
    }

    @Test
    void refusesASizeThatIsNotAMultipleOfTheFactor() {
        CliRunner.Run r = CliRunner.run("vae", "eval", "--vae", model.toString(), "--data", data.toString(),
                "--size", "7");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("multiple of the VAE factor"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
