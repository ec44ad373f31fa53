package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.image.Images;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joins and builds on the fake package tree of {@link FakeEmojiPackages}. */
class EmojiDatasetTest {
    private static final List<EmojiStyle> ALL = EmojiSource.PNG.styles();

    @TempDir
    Path dir;

    private EmojiLabels labels(Path nm) {
        return EmojiLabels.read(nm.resolve("emojibase-data"));
    }

    @Test
    void joinsLabelEveryImageAndCountWhatIsMissing() throws Exception {
        Path nm = FakeEmojiPackages.write(dir);
        EmojiLabels labels = labels(nm);
        EmojiCatalog.Join noto = EmojiCatalog.join(EmojiStyle.NOTO, nm, labels);
        assertEquals(List.of("0023-20E3", "1F3FB", "1F44B", "1F44B-1F3FB", "1F600", "1F98A"),
                noto.images().stream().map(i -> i.key().value()).toList());
        assertEquals(List.of("1fae8.png"), noto.unlabelled());
        assertEquals(List.of("1F34E"), noto.missing());
        EmojiCatalog.Join twemoji = EmojiCatalog.join(EmojiStyle.TWEMOJI, nm, labels);
        assertEquals(5, twemoji.images().size(), "has_img_twitter false: not drawn");
        EmojiCatalog.Join fluent = EmojiCatalog.join(EmojiStyle.FLUENT, nm, labels);
        assertEquals(14, fluent.images().size());
        assertEquals(13, fluent.distinctKeys(), "23-fe0f-20e3 and 0023-fe0f-20e3 are one key");
        assertTrue(fluent.unlabelled().isEmpty());
        assertThrows(LdmException.class, () -> EmojiCatalog.join(EmojiStyle.NOTO, dir.resolve("none"), labels));
    }

    @Test
    void planCountsEveryRuleWithAndWithoutSkinTones() throws Exception {
        Path nm = FakeEmojiPackages.write(dir);
        EmojiPlan plain = EmojiPlan.make(nm, labels(nm), ALL, false, s -> { });
        EmojiPlan.StyleCounts f = plain.counts().get(EmojiStyle.FLUENT);
        assertEquals(14, f.files());
        assertEquals(Map.of(FluentDefects.RULE_FLAG, 2, FluentDefects.RULE_TRADEMARK, 3,
                FluentDefects.RULE_DUPLICATE, 1, EmojiPlan.RULE_SKIN_TONE, 3), f.dropped());
        assertEquals(5, f.kept());
        assertEquals(5, plain.counts().get(EmojiStyle.NOTO).kept(), "the tone swatch 1F3FB is kept");
        assertEquals(f.kept(), f.train() + f.heldoutStyle() + f.heldoutConcept());
        EmojiPlan toned = EmojiPlan.make(nm, labels(nm), ALL, true, s -> { });
        EmojiPlan.StyleCounts t = toned.counts().get(EmojiStyle.FLUENT);
        assertEquals(8, t.kept());
        assertEquals(1, t.fluentTonePairs());
        assertEquals(1, t.fluentTonesSwapped());
        EmojiImage mediumLight = toned.items().stream().map(EmojiPlan.Item::image)
                .filter(i -> i.key().value().equals("1F44B-1F3FC")).findFirst().orElseThrow();
        assertEquals("1f44b-1f3fd.png", mediumLight.source().getFileName().toString());
    }

    @Test
    void buildsCaptionedImagesOnWhiteThatImageFolderReadsAndResumes() throws Exception {
        Path nm = FakeEmojiPackages.write(dir.resolve("npm"));
        Path out = dir.resolve("set");
        EmojiDatasetConfig config = new EmojiDatasetConfig(out, 16, ALL, false, dir.resolve("npm"));
        EmojiDataset.Report r = EmojiDataset.build(config, nm, NpmPackages.pinned(), s -> { });
        assertEquals(14, r.written());
        List<Sample> all = new ArrayList<>(ImageFolder.scan(out.resolve("train")));
        if (Files.isDirectory(out.resolve("heldout"))) {
            all.addAll(ImageFolder.scan(out.resolve("heldout")));
        }
        assertEquals(14, all.size());
        for (EmojiPlan.Item item : r.plan().items()) {
            Path png = item.png(out);
            assertTrue(Files.isRegularFile(png), png.toString());
            assertEquals(item.part(), DataSplit.of(item.image().style(), item.image().key()));
            assertTrue(out.relativize(png).toString().replace('\\', '/')
                    .startsWith(item.part().folder() + "/" + item.image().style().word() + "/"));
        }
        Sample fox = all.stream().filter(s -> s.image().getFileName().toString().equals("1F98A.png")
                && s.image().getParent().getFileName().toString().equals("twemoji")).findFirst().orElseThrow();
        assertEquals("fox, twemoji style", fox.caption());
        assertEquals(List.of("fox, twemoji style", "a fox, twemoji style", "an orange fox, twemoji style"),
                fox.captions(), "alternative phrasings, the colour measured on the image");
        assertTrue(all.stream().anyMatch(s -> s.caption().equals("pinata, fluent style")));
        Tensor t = Images.toTensor(Images.read(fox.image()), 16);
        assertEquals(16, Images.read(fox.image()).getWidth());
        assertEquals(1f, t.data()[0], 1e-6f, "transparent corner composited on white");
        assertTrue(t.data()[2 * 256 + 8 * 16 + 8] < 0.5f, "orange centre: little blue");
        EmojiDataset.Report again = EmojiDataset.build(config, nm, NpmPackages.pinned(), s -> { });
        assertEquals(0, again.written());
        assertEquals(14, again.skipped());
        Path foxCaption = fox.image().resolveSibling("1F98A.txt");
        Files.writeString(foxCaption, "fox, twemoji style\n"); // as an older ldm wrote it
        byte[] png = Files.readAllBytes(fox.image());
        EmojiDataset.Report third = EmojiDataset.build(config, nm, NpmPackages.pinned(), s -> { });
        assertEquals(0, third.written());
        assertEquals(1, third.recaptioned());
        assertEquals(fox.captions(), ImageFolder.scan(out.resolve("train")).stream()
                .filter(s -> s.image().equals(fox.image())).findFirst().orElseThrow().captions());
        assertArrayEquals(png, Files.readAllBytes(fox.image()), "the image is kept");
        EmojiDatasetConfig bigger = new EmojiDatasetConfig(out, 32, ALL, false, dir.resolve("npm"));
        LdmException e = assertThrows(LdmException.class,
                () -> EmojiDataset.build(bigger, nm, NpmPackages.pinned(), s -> { }));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void templatesAddASentenceLineAndSwitchingThemRewritesOnlyCaptions() throws Exception {
        Path nm = FakeEmojiPackages.write(dir.resolve("npm"));
        Path out = dir.resolve("set");
        EmojiDatasetConfig plain = new EmojiDatasetConfig(out, 16, ALL, false, dir.resolve("npm"),
                EmojiSource.PNG, 1, TemplateSet.NONE, 1);
        EmojiDatasetConfig templated = new EmojiDatasetConfig(out, 16, ALL, false, dir.resolve("npm"),
                EmojiSource.PNG, 2, TemplateSet.EIGHT, 1);
        EmojiDataset.build(plain, nm, NpmPackages.pinned(), s -> { });
        Path foxPng = out.resolve("train/twemoji/1F98A.png");
        byte[] png = Files.readAllBytes(foxPng);
        List<String> lines = Files.readAllLines(foxPng.resolveSibling("1F98A.txt"));
        EmojiDataset.Report r = EmojiDataset.build(templated, nm, NpmPackages.pinned(), s -> { });
        assertEquals(0, r.written());
        assertEquals(14, r.recaptioned(), "every caption file gains its line");
        List<String> withTemplate = new ArrayList<>(lines);
        withTemplate.add("a fox on a white background, twemoji style"); // CRC-32 of twemoji/1F98A is 7 mod 8
        assertEquals(withTemplate, Files.readAllLines(foxPng.resolveSibling("1F98A.txt")));
        assertEquals(withTemplate, ImageFolder.scan(out.resolve("train")).stream()
                .filter(s -> s.image().equals(foxPng)).findFirst().orElseThrow().captions());
        assertArrayEquals(png, Files.readAllBytes(foxPng), "the image is kept");
        EmojiDatasetConfig wide = new EmojiDatasetConfig(out, 16, ALL, false, dir.resolve("npm"),
                EmojiSource.PNG, 2, TemplateSet.WIDE, 1);
        EmojiDataset.build(wide, nm, NpmPackages.pinned(), s -> { });
        withTemplate.set(withTemplate.size() - 1, "a picture of a fox, twemoji style"); // 0 mod 45
        assertEquals(withTemplate, Files.readAllLines(foxPng.resolveSibling("1F98A.txt")));
        EmojiDatasetConfig three = new EmojiDatasetConfig(out, 16, ALL, false, dir.resolve("npm"),
                EmojiSource.PNG, 2, TemplateSet.WIDE, 3);
        assertEquals(14, EmojiDataset.build(three, nm, NpmPackages.pinned(), s -> { }).recaptioned());
        withTemplate.add("a logo of a fox, twemoji style"); // 0 + 15
        withTemplate.add("a tiny icon of a fox, twemoji style"); // 0 + 30
        assertEquals(withTemplate, Files.readAllLines(foxPng.resolveSibling("1F98A.txt")));
        assertEquals(14, EmojiDataset.build(plain, nm, NpmPackages.pinned(), s -> { }).recaptioned());
        assertEquals(lines, Files.readAllLines(foxPng.resolveSibling("1F98A.txt")), "back to the plain lines");
    }

    @Test
    void writesSplitSummaryNoticeAndHeldOutPrompts() throws Exception {
        Path nm = FakeEmojiPackages.write(dir.resolve("npm"));
        Path out = dir.resolve("set");
        EmojiDataset.build(new EmojiDatasetConfig(out, 16, List.of(EmojiStyle.NOTO, EmojiStyle.FLUENT), false,
                dir.resolve("npm")), nm, NpmPackages.pinned(), s -> { });
        SplitSummary s = Json.read(out.resolve(EmojiDataset.SPLIT_FILE), SplitSummary.class);
        assertEquals(DataSplit.VERSION, s.version());
        assertEquals(List.of("noto", "fluent"), List.copyOf(s.styles().keySet()));
        assertEquals(6, s.styles().get("noto").labelled());
        String notice = Files.readString(out.resolve(EmojiDataset.NOTICE_FILE));
        assertTrue(notice.contains(EmojiStyle.NOTO.attribution()) && notice.contains(EmojiStyle.FLUENT.attribution()));
        assertTrue(notice.contains(EmojiDataset.LABELS_ATTRIBUTION) && notice.contains("emojibase-data@17.0.0"));
        assertTrue(!notice.contains("Twemoji"), "only the styles built are credited");
        assertTrue(Files.isRegularFile(out.resolve(EmojiDataset.PROMPTS_FILE)));
    }

    @Test
    void heldOutPromptsListHeldOutCaptionsAndBareLabelsOfUnseenConcepts() {
        List<EmojiImage> images = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            images.add(new EmojiImage(EmojiStyle.TWEMOJI, new EmojiKey(String.format("%05X", 0x1F000 + i)),
                    Path.of("x.png"), new EmojiLabels.Entry("thing " + i, "", "")));
        }
        EmojiPlan plan = EmojiPlan.make(s -> new EmojiCatalog.Join(images, List.of(), List.of()),
                List.of(EmojiStyle.TWEMOJI), false, s -> { });
        List<String> prompts = EmojiDataset.heldoutPrompts(plan);
        int heldStyle = 0;
        for (EmojiPlan.Item item : plan.items()) {
            String caption = item.image().caption();
            boolean concept = item.part() == DataSplit.Part.HELDOUT_CONCEPT;
            heldStyle += item.part() == DataSplit.Part.HELDOUT_STYLE ? 1 : 0;
            assertEquals(item.part() != DataSplit.Part.TRAIN, prompts.contains(caption), caption);
            assertEquals(concept, prompts.contains(item.image().label().label()), caption);
        }
        assertTrue(heldStyle > 5 && prompts.size() > heldStyle, prompts.toString());
        assertEquals(prompts.stream().sorted().distinct().toList(), prompts);
    }

    @Test
    void commandLineBuildsFromAnExistingInstallWithoutNpm() throws Exception {
        FakeEmojiPackages.write(dir.resolve("npm"));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.ldm.cli.Main.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err))
                .execute("data", "emoji", "--out", dir.resolve("set").toString(), "--packages",
                        dir.resolve("npm").toString(), "--size", "16", "--styles", "twemoji");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("twemoji"), out.toString());
        assertTrue(!Files.exists(dir.resolve("set/train/noto")));
        int bad = dev.ldm.cli.Main.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err))
                .execute("data", "emoji", "--out", dir.resolve("x").toString(), "--styles", "apple");
        assertEquals(LdmException.BAD_INPUT, bad);
        assertTrue(err.toString().contains("unknown emoji style"), err.toString());
        java.io.StringWriter err2 = new java.io.StringWriter();
        int badSet = dev.ldm.cli.Main.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err2))
                .execute("data", "emoji", "--out", dir.resolve("y").toString(), "--templates", "all");
        assertEquals(LdmException.BAD_INPUT, badSet);
        assertEquals("ldm: error: --templates must be one of none, eight, wide, not 'all'", err2.toString().strip());
        assertFalse(Files.exists(dir.resolve("y")), "nothing written");
        for (String[] args : new String[][] {{"--template-lines", "2"}, {"--templates", "eight", "--template-lines", "9"},
                {"--templates", "wide", "--template-lines", "0"}}) {
            java.io.StringWriter err3 = new java.io.StringWriter();
            List<String> line = new ArrayList<>(List.of("data", "emoji", "--out", dir.resolve("z").toString()));
            line.addAll(List.of(args));
            int badLines = dev.ldm.cli.Main.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err3))
                    .execute(line.toArray(String[]::new));
            assertEquals(LdmException.BAD_INPUT, badLines, String.join(" ", args));
            String message = err3.toString().strip();
            assertTrue(message.startsWith("ldm: error: emoji data set: --template-lines ") && !message.contains("\n"),
                    message);
            assertFalse(Files.exists(dir.resolve("z")), "nothing written");
        }
    }
}
