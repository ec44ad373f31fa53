package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.ImagePixels;
import dev.ldm.image.Images;
import dev.ldm.image.PngMetadata;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeDecoder;
import dev.ldm.vae.VaeEncoder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm generate --init-image FILE --strength S} (SDEdit). */
class InitImageTest {
    @TempDir
    static Path tmp;
    static ModelFolder model;
    static Path init;

    @BeforeAll
    static void makeModelAndImage() {
        model = TestModels.tiny(tmp.resolve("model"));
        BufferedImage img = new BufferedImage(12, 10, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(220, 30, 35));
        g.fillOval(1, 1, 9, 8);
        g.setColor(new Color(35, 80, 220, 128));
        g.fillRect(6, 0, 6, 5);
        g.dispose();
        init = tmp.resolve("init.png");
        PngWriter.write(init, img, Map.of());
    }

    static List<Path> generate(String name, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("generate", "a red circle", "--seed", "3", "--steps",
                "2", "--model", model.dir().toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    static int[] pixels(Path png) {
        return ImagePixels.argb(Images.read(png));
    }

    @Test
    void strengthOneIsPlainGenerationWithTheSameSeed() throws Exception {
        for (String sampler : List.of("euler", "sde")) {
            List<Path> plain = generate("plain-" + sampler, "--n", "2", "--sampler", sampler, "--cfg", "2");
            List<Path> img2img = generate("one-" + sampler, "--n", "2", "--sampler", sampler, "--cfg", "2",
                    "--init-image", init.toString(), "--strength", "1");
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(pixels(plain.get(i)), pixels(img2img.get(i)), sampler + " image " + i);
            }
        }
    }

    @Test
    void strengthZeroIsTheVaeRoundTrip() throws Exception {
        Path out = generate("zero", "--init-image", init.toString(), "--strength", "0").get(0);
        int size = TestModels.SIZE;
        var vae = model.manifest().vae();
        LatentNormalization norm = new LatentNormalization(vae.scalingFactor(), vae.shiftFactor());
        Tensor expected;
        try (VaeEncoder enc = VaeEncoder.open(model.resolve(vae.encoder()), Device.CPU);
                VaeDecoder dec = VaeDecoder.open(model.resolve(vae.decoder()), Device.CPU)) {
            Tensor px = Images.toTensor(Images.read(init), size);
            Tensor z = norm.normalize(enc.encode(new Tensor(new long[] {1, 3, size, size}, px.data())));
            Tensor rgb = dec.decode(norm.denormalize(z));
            expected = new Tensor(new long[] {3, size, size}, rgb.data());
        }
        int[] want = ImagePixels.argb(Images.toImage(expected));
        int[] got = pixels(out);
        for (int i = 0; i < want.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                int a = (want[i] >> shift) & 0xff;
                int b = (got[i] >> shift) & 0xff;
                assertTrue(Math.abs(a - b) <= 1, "pixel " + i + ": " + a + " vs " + b);
            }
        }
    }

    @Test
    void settingsAreStoredAndReRenderExactly() throws Exception {
        Path out = generate("half", "--init-image", init.toString(), "--strength", "0.5", "--sampler", "heun").get(0);
        Map<String, String> chunks = PngMetadata.read(out);
        assertTrue(chunks.get("parameters").contains("Denoising strength: 0.5"), chunks.get("parameters"));
        String sha = dev.ldm.io.Sha256.file(init);
        assertTrue(chunks.get("ldm").contains("\"sha256\":\"" + sha + "\"") && chunks.get("ldm").contains(
                "\"strength\":0.5"), chunks.get("ldm"));
        Path again = tmp.resolve("half-again");
        CliRunner.Run r = CliRunner.run("generate", "--from-png", out.toString(), "--model", model.dir().toString(),
                "--out", again.toString());
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(again)) {
            assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(s.findFirst().orElseThrow()));
        }
        List<Path> plain = generate("half-plain", "--sampler", "heun");
        assertFalse(java.util.Arrays.equals(pixels(plain.get(0)), pixels(out)), "strength 0.5 ignored the image");
    }

    @Test
    void badStrengthOrInitImageExitsTwo() throws Exception {
        Path notImage = Files.writeString(tmp.resolve("x.png"), "text");
        String m = model.dir().toString();
        String i = init.toString();
        String[][] cases = {
            {"--init-image", i, "--strength", "1.5"},
            {"--init-image", i, "--strength", "-0.1"},
            {"--init-image", i, "--strength", "NaN"},
            {"--strength", "0.5"},
            {"--init-image", tmp.resolve("missing.png").toString()},
            {"--init-image", notImage.toString()},
            {"--init-image", tmp.toString()},
        };
        for (String[] extra : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("generate", "x", "--steps", "1", "--model", m,
                    "--out", tmp.resolve("bad").toString()));
            args.addAll(List.of(extra));
            CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", extra) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(!Files.exists(tmp.resolve("bad")) || Files.list(tmp.resolve("bad")).findAny().isEmpty());
    }
}
