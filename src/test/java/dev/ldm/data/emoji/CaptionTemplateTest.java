package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CaptionTemplateTest {
    @Test
    void theTemplateIndexIsCrc32AsZlibComputesIt() {
        // zlib.crc32(b"...") in Python, an independent implementation of the same CRC
        assertEquals(0xCBF43926L % 8, CaptionTemplate.index("123456789"), "the CRC-32 check value");
        assertEquals(329286512L % 8, CaptionTemplate.index("noto/1F98A"));
        assertEquals(362038455L % 8, CaptionTemplate.index("twemoji/1F98A"));
        assertEquals(2924906464L % 8, CaptionTemplate.index("fluent/0023-20E3"), "a CRC above 2^31 stays positive");
        assertEquals(0, CaptionTemplate.index(""));
    }

    @Test
    void phrasesPutTheConceptWithItsArticleIntoTheImagesTemplate() {
        assertEquals("a picture of a fox", CaptionTemplate.phrase(EmojiStyle.NOTO, EmojiKey.parse("1F98A", "test"), "fox"));
        assertEquals("an owl on a white background",
                CaptionTemplate.phrase(EmojiStyle.TWEMOJI, EmojiKey.parse("1F98A", "test"), "owl"));
        assertEquals("a picture of 100% sign", String.format(CaptionTemplate.TEMPLATES.get(0), "100% sign"),
                "the concept is an argument, never a format");
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
