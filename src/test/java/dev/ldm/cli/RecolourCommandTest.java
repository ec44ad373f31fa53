package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.data.emoji.RecolourSet;
import dev.ldm.data.emoji.Recolouring;
import dev.ldm.eval.EvalPrompt;
import dev.ldm.image.HueRotation;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm data recolour} on a folder of coloured disks the test draws. */
class RecolourCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static final int[] COLOURS = {0xE03020, 0xF09020, 0xF0E040, 0x30B040, 0x3050E0, 0x9040C0};

    @BeforeAll
    static void drawData() throws Exception {
        data = tmp.resolve("data");
        for (int i = 0; i < 36; i++) {
            String style = i % 2 == 0 ? "dots" : "flat";
            Path dir = Files.createDirectories(data.resolve(style));
            BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    boolean in = Math.hypot(x - 11.5, y - 11.5) < 4 + i % 7;
                    img.setRGB(x, y, in ? COLOURS[i % COLOURS.length] : 0xFFFFFF);
                }
            }
            String label = i == 5 ? "red heart" : "thing " + i / 2;
            Files.write(dir.resolve("t" + i + ".png"), PngWriter.encode(img, Map.of()));
            Files.writeString(dir.resolve("t" + i + ".txt"), label + ", " + style + " style\na " + label + ", " + style
                    + " style\n");
        }
    }

    @Test
    void copiesShowTheirCaptionedColourAndHeldOutPairsAppearOnlyAsPrompts() throws Exception {
        Path out = tmp.resolve("recoloured");
        CliRunner.Run r = CliRunner.run("data", "recolour", "--from", data.toString(), "--out", out.toString(),
                "--copies", "2", "--held-out", "0.3", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<Sample> copies = ImageFolder.scan(out);
        Set<String> drawnPairs = new HashSet<>();
        for (Sample s : copies) {
            String name = s.image().getFileName().toString();
            assertTrue(name.matches("t\\d+-hue\\d+\\.png"), name);
            int angle = Integer.parseInt(name.replaceAll(".*-hue(\\d+)\\.png", "$1"));
            Path original = data.resolve(out.relativize(s.image()).toString().replaceAll("-hue\\d+", ""));
            BufferedImage expected = HueRotation.rotate(Images.read(original), angle);
            BufferedImage got = Images.read(s.image());
            assertArrayEquals(expected.getRGB(0, 0, 24, 24, null, 0, 24), got.getRGB(0, 0, 24, 24, null, 0, 24));
            String colour = dev.ldm.image.DominantColour.of(got).orElseThrow();
            String originalCaption = ImageFolder.scan(original.getParent()).stream()
                    .filter(o -> o.image().equals(original)).findFirst().orElseThrow().caption();
            Recolouring.Caption c = Recolouring.Caption.parse(originalCaption);
            assertEquals(c.coloured(colour), s.captions());
            assertFalse(c.label().equals("red heart"), "a label naming a colour is never recoloured");
            assertFalse(Recolouring.heldOut(c.label(), colour, 0.3));
            drawnPairs.add(c.label() + "/" + colour);
        }
        assertTrue(copies.size() > 40, "about two copies of 35 images: " + copies.size());

        RecolourSet.Summary summary = Json.read(out.resolve(RecolourSet.SUMMARY), RecolourSet.Summary.class);
        assertEquals(36, summary.images());
        assertEquals(copies.size(), summary.written());
        assertEquals(1, summary.namedColour());
        List<EvalPrompt> heldOut = dev.ldm.eval.PromptList.read(out.resolve(RecolourSet.HELD_OUT_PROMPTS));
        assertEquals(summary.heldOutPrompts(), heldOut.size());
        assertTrue(heldOut.size() > 5, "held-out pairs of recoloured concepts: " + heldOut.size());
        for (EvalPrompt p : heldOut) {
            assertTrue(Recolouring.heldOut(p.label(), p.colour(), 0.3), p.toString());
            assertFalse(drawnPairs.contains(p.label() + "/" + p.colour()), p.toString());
            assertTrue(p.prompt().matches("an? " + p.colour() + " " + p.label() + ", (dots|flat) style"), p.prompt());
        }
        List<EvalPrompt> seen = dev.ldm.eval.PromptList.read(out.resolve(RecolourSet.SEEN_PROMPTS));
        assertEquals(Math.min(heldOut.size(), seen.size()), seen.size());
        for (EvalPrompt p : seen) {
            assertTrue(drawnPairs.contains(p.label() + "/" + p.colour()), p.toString());
        }
    }

    @Test
    void theOutputDoesNotDependOnThreadsAndBadOptionsAreOneLine() throws Exception {
        Path a = tmp.resolve("one-thread");
        Path b = tmp.resolve("two-threads");
        assertEquals(0, CliRunner.run("data", "recolour", "--from", data.toString(), "--out", a.toString(),
                "--threads", "1").code());
        assertEquals(0, CliRunner.run("data", "recolour", "--from", data.toString(), "--out", b.toString(),
                "--threads", "2").code());
        List<Path> fa = files(a);
        assertEquals(fa, files(b));
        for (Path rel : fa) {
            assertArrayEquals(Files.readAllBytes(a.resolve(rel)), Files.readAllBytes(b.resolve(rel)), rel.toString());
        }
        JsonObject s = JsonParser.parseString(Json.readText(a.resolve(RecolourSet.SUMMARY))).getAsJsonObject();
        assertEquals(0.15, s.get("heldOutShare").getAsDouble());

        CliRunner.Run inside = CliRunner.run("data", "recolour", "--from", data.toString(), "--out",
                data.resolve("x").toString());
        assertEquals(2, inside.code());
        assertTrue(inside.err().contains("must not contain each other"), inside.err());
        CliRunner.Run copies = CliRunner.run("data", "recolour", "--from", data.toString(), "--out", a.toString(),
                "--copies", "9");
        assertEquals(2, copies.code());
        assertEquals(1, copies.err().strip().lines().count(), copies.err());
    }

    private static List<Path> files(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
