package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.image.Images;
import dev.ldm.io.Json;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joins, builds and refusals of the SVG source on the fake Iconify tree of {@link FakeIconifyPackages}. */
class IconifyDatasetTest {
    @TempDir
    Path dir;

    private static Map<String, String> keysByIcon(EmojiCatalog.Join j) {
        Map<String, String> out = new TreeMap<>();
        j.images().forEach(i -> out.merge(i.icon().name(), i.key().value(), (a, b) -> a + "," + b));
        return out;
    }

    private static EmojiCatalog.Join join(EmojiStyle style, Path nm) {
        EmojiLabels labels = EmojiLabels.read(nm.resolve("emojibase-data"));
        return IconifyCatalog.join(style, nm, labels, EmojiNames.read(nm, labels));
    }

    @Test
    void joinsThroughCharsJsonBorrowedCharsAndNames() throws Exception {
        Path nm = FakeIconifyPackages.write(dir);
        EmojiCatalog.Join noto = join(EmojiStyle.NOTO, nm);
        assertEquals(Map.of("fox", "1F98A", "fox-face", "1F98A", "grinning-face", "1F600", "red-apple", "1F34E",
                "waving-hand", "1F44B", "waving-hand-light-skin-tone", "1F44B-1F3FB"), keysByIcon(noto));
        assertEquals("fox", noto.images().get(noto.images().size() - 2).icon().name(),
                "for one key the chars.json icon comes before the alias");
        assertEquals(Map.of(IconifySet.SKIP_HIDDEN, 1, IconifyCatalog.VIA_CHARS, 5, IconifyCatalog.VIA_NAME, 1),
                noto.notes());
        assertEquals(Map.of("fox", "1F98A", "grinning-face", "1F600", "red-apple", "1F34E"),
                keysByIcon(join(EmojiStyle.FLUENT_COLOR, nm)), "borrows fluent-emoji-flat's chars.json");
        EmojiCatalog.Join emojione = join(EmojiStyle.EMOJIONE, nm);
        assertEquals(Map.of("fox-face", "1F98A", "grinning-face", "1F600", "red-apple", "1F34E"), keysByIcon(emojione),
                "a shortcode (fox_face) and label slugs");
        assertEquals(Map.of(IconifySet.SKIP_ALIAS, 1, IconifySet.SKIP_ALIAS_PARENT, 1, IconifyCatalog.VIA_NAME, 3),
                emojione.notes(), "the rotated alias and the alias of a missing icon are skipped and counted");
        assertEquals(Map.of("grinningface", "1F600", "redapple", "1F34E"), keysByIcon(join(EmojiStyle.FXEMOJI, nm)),
                "names without hyphens");
        EmojiCatalog.Join streamline = join(EmojiStyle.STREAMLINE, nm);
        assertEquals(Map.of("fox-1", "1F98A", "fox-2", "1F98A"), keysByIcon(streamline), "numbered drawings");
        assertEquals(List.of("mystery-thing"), streamline.unlabelled());
    }

    @Test
    void planDropsToneVariantsAndDuplicateNames() throws Exception {
        Path nm = FakeIconifyPackages.write(dir.resolve("npm"));
        EmojiPlan plan = EmojiPlan.make(nm, EmojiLabels.read(nm.resolve("emojibase-data")),
                config(dir.resolve("set"), 16, 2), s -> { });
        EmojiPlan.StyleCounts noto = plan.counts().get(EmojiStyle.NOTO);
        assertEquals(Map.of(EmojiPlan.RULE_SKIN_TONE, 1, IconFilter.RULE_REFUSED, 0, IconFilter.RULE_DUPLICATE, 1),
                noto.dropped());
        assertEquals(4, noto.kept());
        assertEquals(1, plan.counts().get(EmojiStyle.STREAMLINE).kept(), "fox-2 is another drawing of fox-1's emoji");
        assertEquals("fox-1", plan.items().stream().filter(i -> i.image().style() == EmojiStyle.STREAMLINE)
                .findFirst().orElseThrow().image().icon().name());
        assertEquals(List.copyOf(EmojiSource.SVG.styles()), List.copyOf(plan.counts().keySet()));
    }

    @Test
    void aMirroredAliasIsItsParentFlipped() throws Exception {
        Path nm = FakeIconifyPackages.write(dir);
        List<EmojiImage> flat = join(EmojiStyle.FLUENT_FLAT, nm).images();
        EmojiImage pinata = flat.stream().filter(i -> i.icon().name().equals("pinata")).findFirst().orElseThrow();
        EmojiImage face = flat.stream().filter(i -> i.icon().name().equals("grinning-face")).findFirst().orElseThrow();
        assertEquals("pinata", pinata.label().label());
        BufferedImage a = EmojiDataset.artwork(pinata, 32, dev.ldm.image.SvgRenderer.withDefaults());
        BufferedImage b = EmojiDataset.artwork(face, 32, dev.ldm.image.SvgRenderer.withDefaults());
        assertTrue(b.getRGB(6, 16) >>> 24 == 255 && b.getRGB(25, 16) >>> 24 == 0, "the bar is on the left");
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(b.getRGB(x, y), a.getRGB(31 - x, y), x + "," + y);
            }
        }
    }

    @Test
    void buildsResumesAndGivesTheSameBytesOnAnyNumberOfThreads() throws Exception {
        Path nm = FakeIconifyPackages.write(dir.resolve("npm"));
        Path one = dir.resolve("one");
        EmojiDataset.Report first = EmojiDataset.build(config(one, 48, 1), nm, EmojiSource.SVG.packages(), s -> { });
        assertEquals(first.plan().items().size(), first.written());
        assertTrue(first.written() >= 15, "planned " + first.written());
        Map<Path, byte[]> bytes = files(one);
        EmojiDataset.Report again = EmojiDataset.build(config(one, 48, 2), nm, EmojiSource.SVG.packages(), s -> { });
        assertEquals(0, again.written(), "a re-run renders nothing");
        assertEquals(first.written(), again.skipped());
        assertSame(bytes, files(one));
        for (int threads : new int[] {2, 3}) {
            Path other = dir.resolve("t" + threads);
            EmojiDataset.build(config(other, 48, threads), nm, EmojiSource.SVG.packages(), s -> { });
            assertSame(bytes, files(other));
        }
        Sample fox = ImageFolder.scan(one.resolve("train")).stream()
                .filter(s -> s.image().endsWith(Path.of("fluent-flat", "1F98A.png"))).findFirst().orElseThrow();
        assertEquals(List.of("fox, fluent flat style", "a fox, fluent flat style", "a green fox, fluent flat style"),
                fox.captions());
        BufferedImage png = Images.read(fox.image());
        assertEquals(48, png.getWidth());
        assertEquals(0xffffffff, png.getRGB(0, 0), "composited on white");
        String notice = Files.readString(one.resolve(EmojiDataset.NOTICE_FILE));
        assertTrue(notice.contains("rendered from their SVG artwork with JSVG") && notice.contains("Streamline")
                && notice.contains("creativecommons.org/licenses/by/4.0"), notice);
        assertEquals(1, notice.split("Microsoft", -1).length - 1, "one line for the three Fluent sets");
    }

    @Test
    void aNonSquareIconIsFittedAndCentred() throws Exception {
        Path nm = FakeIconifyPackages.write(dir);
        EmojiImage tall = join(EmojiStyle.EMOJIONE, nm).images().stream()
                .filter(i -> i.icon().name().equals("red-apple")).findFirst().orElseThrow();
        assertEquals(64, tall.icon().width());
        BufferedImage img = EmojiDataset.artwork(tall, 32, dev.ldm.image.SvgRenderer.withDefaults());
        assertEquals(255, img.getRGB(16, 1) >>> 24, "the 64 x 128 rectangle fills the height");
        assertEquals(255, img.getRGB(16, 30) >>> 24);
        assertEquals(0, img.getRGB(4, 16) >>> 24, "and is centred: the sides are empty");
        assertEquals(0, img.getRGB(27, 16) >>> 24);
    }

    @Test
    void hostileIconsAreRefusedOneLineEachAndCounted() throws Exception {
        Path prefix = dir.resolve("npm");
        Path nm = FakeIconifyPackages.write(prefix);
        Map<String, String> bodies = Map.of( // every name joins (chars.json or a label), so every body is checked
                "fox", "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><text>&b;</text>",
                "grinning-face", "<image href='file:///etc/passwd' width='10' height='10'/>",
                "red-apple", "<image xlink:href='http://example.com/a.png' width='10' height='10'/>",
                "waving-hand", "<rect width='100000000' height='10'/>",
                "pinata", "<g>".repeat(10_000) + "</g>".repeat(10_000));
        java.util.StringJoiner icons = new java.util.StringJoiner(", ", "{\"width\": 128, \"height\": 128, \"icons\": {",
                "}}");
        new TreeMap<>(bodies).forEach((k, v) -> icons.add(Json.compact(k) + ": {\"body\": " + Json.compact(v) + "}"));
        Files.writeString(nm.resolve("@iconify-json/noto/icons.json"), icons.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.ldm.cli.Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("data", "emoji",
                "--out", dir.resolve("set").toString(), "--packages", prefix.toString(), "--size", "128",
                "--styles", "noto,twemoji");
        assertEquals(0, code, err.toString());
        List<String> warnings = err.toString().lines().filter(l -> l.startsWith("warning:")).toList();
        assertEquals(5, warnings.size(), err.toString());
        for (String reason : List.of("DOCTYPE", "href=\"file:///etc/passwd\"", "href=\"http://example.com",
                "width=\"100000000\"", "nested deeper than 32")) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains(reason)), reason + " in " + warnings);
        }
        assertTrue(!err.toString().contains("Exception") && !err.toString().contains("\tat "), err.toString());
        SplitSummary split = Json.read(dir.resolve("set").resolve(EmojiDataset.SPLIT_FILE), SplitSummary.class);
        assertEquals(5, split.styles().get("noto").dropped().get(IconFilter.RULE_REFUSED));
        assertEquals(0, split.styles().get("noto").kept());
        assertEquals(4, split.styles().get("twemoji").kept());
    }

    @Test
    void sourcesDefaultBySizeAndRefuseWhatTheyCannotDo() throws Exception {
        Path prefix = dir.resolve("npm");
        FakeIconifyPackages.write(prefix);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.ldm.cli.Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("data", "emoji",
                "--out", dir.resolve("set").toString(), "--packages", prefix.toString(), "--size", "128");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("fluent-contrast") && out.toString().contains("streamline"), out.toString());
        assertTrue(Files.readString(dir.resolve("set/build.json")).contains("JSVG"));
        for (List<String> bad : List.of(List.of("--size", "128", "--source", "png"), List.of("--size", "600"),
                List.of("--size", "128", "--styles", "fluent"), List.of("--size", "64", "--source", "vector"))) {
            List<String> args = new ArrayList<>(List.of("data", "emoji", "--out", dir.resolve("x").toString(),
                    "--packages", prefix.toString()));
            args.addAll(bad);
            StringWriter e = new StringWriter();
            assertEquals(LdmException.BAD_INPUT, dev.ldm.cli.Main.commandLine(new PrintWriter(out), new PrintWriter(e))
                    .execute(args.toArray(String[]::new)), bad.toString());
            assertEquals(1, e.toString().strip().lines().count(), e.toString());
        }
    }

    private static EmojiDatasetConfig config(Path out, int size, int threads) {
        return new EmojiDatasetConfig(out, size, EmojiSource.SVG.styles(), false, out, EmojiSource.SVG, threads,
                TemplateSet.NONE, 1);
    }

    /** Every file below {@code root}, by path. */
    private static Map<Path, byte[]> files(Path root) throws Exception {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSame(Map<Path, byte[]> want, Map<Path, byte[]> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((p, b) -> assertArrayEquals(b, got.get(p), p.toString()));
    }
}
