package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CaptionTemplateTest {
    @Test
    void theTemplateIndexIsCrc32AsZlibComputesIt() {
        // zlib.crc32(b"...") in Python, an independent implementation of the same CRC
        for (int count : new int[] {8, 45}) {
            assertEquals(0xCBF43926L % count, CaptionTemplate.index("123456789", count), "the CRC-32 check value");
            assertEquals(329286512L % count, CaptionTemplate.index("noto/1F98A", count));
            assertEquals(362038455L % count, CaptionTemplate.index("twemoji/1F98A", count));
            assertEquals(2924906464L % count, CaptionTemplate.index("fluent/0023-20E3", count),
                    "a CRC above 2^31 stays positive");
            assertEquals(0, CaptionTemplate.index("", count));
        }
    }

    @Test
    void eachSetIsAPrefixOfTheTemplatesAndTheEightNeverChange() {
        // the lines of data sets built before the wide set existed, so the shipped draft's recipe still holds
        assertEquals(List.of("a picture of %s", "an image of %s", "an icon of %s", "an emoji of %s", "a photo of %s",
                "a close-up of %s", "%s emoji", "%s on a white background"), TemplateSet.EIGHT.templates());
        assertEquals(CaptionTemplate.TEMPLATES, TemplateSet.WIDE.templates());
        assertEquals(45, TemplateSet.WIDE.count());
        assertEquals(List.of(), TemplateSet.NONE.templates());
        for (TemplateSet s : TemplateSet.values()) {
            assertEquals(s, TemplateSet.parse(s.word()));
            assertEquals(s, TemplateSet.parse(s.word().toUpperCase(Locale.ROOT)));
        }
        LdmException e = assertThrows(LdmException.class, () -> TemplateSet.parse("all"));
        assertEquals("--templates must be one of none, eight, wide, not 'all'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> one(TemplateSet.NONE, EmojiStyle.NOTO,
                EmojiKey.parse("1F98A", "test"), "fox"));
    }

    @Test
    void phrasesPutTheConceptWithItsArticleIntoTheImagesTemplate() {
        EmojiKey fox = EmojiKey.parse("1F98A", "test");
        assertEquals("a picture of a fox", one(TemplateSet.EIGHT, EmojiStyle.NOTO, fox, "fox"));
        assertEquals("an owl on a white background",
                one(TemplateSet.EIGHT, EmojiStyle.TWEMOJI, fox, "owl"));
        // the wide set indexes 45 templates: 329286512 % 45 = 2, 362038455 % 45 = 0
        assertEquals("an icon of a fox", one(TemplateSet.WIDE, EmojiStyle.NOTO, fox, "fox"));
        assertEquals("a picture of an owl", one(TemplateSet.WIDE, EmojiStyle.TWEMOJI, fox, "owl"));
        assertEquals("a design of a keycap: #", one(TemplateSet.WIDE, EmojiStyle.FLUENT,
                EmojiKey.parse("0023-20E3", "test"), "keycap: #"), "2924906464 % 45 = 19");
        assertEquals("a picture of 100% sign", String.format(CaptionTemplate.TEMPLATES.get(0), "100% sign"),
                "the concept is an argument, never a format");
    }

    @Test
    void severalTemplateLinesAreDistinctEvenlySpacedAndBeginWithTheOneLineSetsLine() {
        EmojiKey fox = EmojiKey.parse("1F98A", "test");
        // 329286512 % 45 = 2, then 2 + 15 and 2 + 30
        assertEquals(List.of("an icon of a fox", "a view of a fox", "a digital image of a fox"),
                CaptionTemplate.phrases(TemplateSet.WIDE, 3, EmojiStyle.NOTO, fox, "fox"));
        for (TemplateSet set : List.of(TemplateSet.EIGHT, TemplateSet.WIDE)) {
            int count = set.count();
            for (int lines = 1; lines <= count; lines++) {
                int[] uses = new int[count];
                for (int first = 0; first < count; first++) {
                    // a key whose CRC gives this first index, so every starting point is covered
                    EmojiKey key = keyWithIndex("noto", count, first);
                    List<String> got = CaptionTemplate.phrases(set, lines, EmojiStyle.NOTO, key, "fox");
                    assertEquals(lines, got.size());
                    assertEquals(lines, new HashSet<>(got).size(), "distinct templates: " + got);
                    assertEquals(one(set, EmojiStyle.NOTO, key, "fox"), got.get(0));
                    for (String g : got) {
                        uses[set.templates().indexOf(set.templates().stream()
                                .filter(t -> String.format(t, "a fox").equals(g)).findFirst().orElseThrow())]++;
                    }
                }
                for (int u : uses) {
                    assertEquals(lines, u, "over every starting template, each template is used equally");
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> CaptionTemplate.phrases(set, count + 1, EmojiStyle.NOTO, fox, "fox"));
            assertThrows(IllegalArgumentException.class,
                    () -> CaptionTemplate.phrases(set, 0, EmojiStyle.NOTO, fox, "fox"));
        }
    }

    /** The image's one-line template line: the only line of {@code phrases(set, 1, ...)}. */
    private static String one(TemplateSet set, EmojiStyle style, EmojiKey key, String label) {
        List<String> lines = CaptionTemplate.phrases(set, 1, style, key, label);
        assertEquals(1, lines.size());
        return lines.get(0);
    }

    /** The first code point from U+1F300 whose style/key CRC-32 indexes template {@code index} of {@code count}. */
    private static EmojiKey keyWithIndex(String style, int count, int index) {
        for (int cp = 0x1F300; ; cp++) {
            String hex = Integer.toHexString(cp).toUpperCase(Locale.ROOT);
            if (CaptionTemplate.index(style + "/" + hex, count) == index) {
                return EmojiKey.parse(hex, "test");
            }
        }
    }

    @Test
    void everyTemplateHoldsTheConceptOnceAndNoneIsAnEvaluationWording() throws IOException {
        Set<String> seen = new HashSet<>();
        for (String t : CaptionTemplate.TEMPLATES) {
            assertEquals(1, t.split("%s", -1).length - 1, t);
            assertTrue(seen.add(t), "distinct: " + t);
            String lower = t.toLowerCase(Locale.ROOT);
            for (String word : new String[] {"drawing", "drawn", "sketch", "illustration", "art", "paint", "cartoon"}) {
                assertFalse(lower.matches(".*\\b" + word + "\\b.*"), t + " says " + word);
            }
        }
        // the free-phrasing prompts the evaluation in docs/RESEARCH.md uses: none is a template's sentence
        for (String line : Files.readAllLines(Path.of("prompts/emoji128-eval-phrases.jsonl"))) {
            if (line.startsWith("{")) {
                String prompt = line.substring(line.indexOf(": \"") + 3, line.indexOf("\","));
                for (String t : CaptionTemplate.TEMPLATES) {
                    String[] around = t.split("%s", -1);
                    assertFalse(prompt.matches(Pattern.quote(around[0]) + ".+" + Pattern.quote(around[1])),
                            prompt + " matches " + t);
                }
            }
        }
    }
}
