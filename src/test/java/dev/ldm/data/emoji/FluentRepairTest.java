package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FluentDefects} and {@link FluentSkinTones} on in-memory images. */
class FluentRepairTest {
    @TempDir
    Path dir;

    private static EmojiImage img(String file, String label, String subgroup) {
        String stem = file.substring(0, file.lastIndexOf('.'));
        return new EmojiImage(EmojiStyle.FLUENT, EmojiKey.parse(stem, file), Path.of("assets", file),
                new EmojiLabels.Entry(label, "g", subgroup));
    }

    @Test
    void notOpenSourcedItemsAndDuplicatesAreDroppedByRule() {
        List<EmojiImage> in = List.of(
                img("0023-fe0f-20e3.webp", "keycap: #", "keycap"),
                img("23-fe0f-20e3.webp", "keycap: #", "keycap"),
                img("1f1fa-1f1f8.webp", "flag: united states", "country-flag"),
                img("1f3f4-e0067_e0062_e0073_e0063_e0074.webp", "flag: scotland", "subdivision-flag"),
                img("1f3c1.webp", "chequered flag", "flag"),
                img("1f468-1f3fd-200d-1f4bb.webp", "man technologist: medium skin tone", "person-role"),
                img("1f4ce.webp", "paperclip", "office"),
                img("1f3ae.webp", "video game", "game"),
                img("1f98a.webp", "fox", "animal-mammal"),
                img("1f4bb.webp", "laptop", "computer"));
        FluentDefects.Result r = FluentDefects.apply(in);
        assertEquals(List.of("0023-fe0f-20e3.webp", "1f3c1.webp", "1f98a.webp", "1f4bb.webp"),
                r.kept().stream().map(i -> i.source().getFileName().toString()).toList());
        assertEquals(Map.of(FluentDefects.RULE_FLAG, 2, FluentDefects.RULE_TRADEMARK, 3,
                FluentDefects.RULE_DUPLICATE, 1), r.dropped());
        int dropped = r.dropped().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(in.size(), r.kept().size() + dropped);
    }

    @Test
    void swappedMediumTonesAreExchangedAndCorrectOnesKept() {
        List<EmojiImage> in = List.of(
                img("1f44b-1f3fc.webp", "waving hand: medium-light skin tone", "hand"),
                img("1f44b-1f3fd.webp", "waving hand: medium skin tone", "hand"),
                img("1f385-1f3fc.webp", "santa claus: medium-light skin tone", "person"),
                img("1f385-1f3fd.webp", "santa claus: medium skin tone", "person"),
                img("1f9d2-1f3fc.webp", "child: medium-light skin tone", "person"));
        Map<String, Double> lum = new HashMap<>();
        lum.put("1f44b-1f3fc.webp", 0.2); // named lighter but darker: swapped
        lum.put("1f44b-1f3fd.webp", 0.5);
        lum.put("1f385-1f3fc.webp", 0.6); // already right
        lum.put("1f385-1f3fd.webp", 0.4);
        FluentSkinTones.Result r = FluentSkinTones.repair(in, p -> lum.get(p.getFileName().toString()));
        assertEquals(2, r.pairs(), "the child has no medium partner");
        assertEquals(1, r.swapped());
        assertEquals(Path.of("assets", "1f44b-1f3fd.webp"), r.images().get(0).source());
        assertEquals(Path.of("assets", "1f44b-1f3fc.webp"), r.images().get(1).source());
        assertEquals("waving hand: medium-light skin tone", r.images().get(0).label().label(), "labels stay");
        assertEquals(in.subList(2, 5), r.images().subList(2, 5));
    }

    @Test
    void meanLuminanceOrdersGreysOverWhite() {
        Path dark = dir.resolve("dark.png");
        Path light = dir.resolve("light.png");
        FakeEmojiPackages.png(dark, FakeEmojiPackages.DARK_GREY);
        FakeEmojiPackages.png(light, FakeEmojiPackages.LIGHT_GREY);
        double d = FluentSkinTones.meanLuminance(dark);
        double l = FluentSkinTones.meanLuminance(light);
        assertTrue(d < l && l < 1.0, d + " " + l);
        // a quarter of the image is the grey square, the rest white: mean = 0.75 + 0.25 * grey
        double grey = (0x30 / 127.5) - 1;
        assertEquals(0.75 + 0.25 * grey, d, 0.02);
    }
}
