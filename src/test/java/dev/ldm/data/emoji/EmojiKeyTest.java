package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmojiKeyTest {
    private static String norm(String raw) {
        return EmojiKey.parse(raw, "test").value();
    }

    @Test
    void everySpellingOfAKeycapJoins() {
        // emoji-datasource unified, Fluent file names with and without padding, emojibase without FE0F
        for (String s : List.of("0023-FE0F-20E3", "23-fe0f-20e3", "0023-fe0f-20e3", "0023-20E3", "23_20e3")) {
            assertEquals("0023-20E3", norm(s), s);
        }
    }

    @Test
    void fe0fIsDroppedWhereverItIs() {
        assertEquals("00A9", norm("a9-fe0f"));
        assertEquals("00AE", norm("00ae-FE0F"));
        assertEquals("1F441-200D-1F5E8", norm("1f441-fe0f-200d-1f5e8-fe0f"));
        assertEquals("1F441-200D-1F5E8", norm("1F441-200D-1F5E8"));
        assertEquals("26A7", norm("26a7-fe0f"));
        assertEquals("2764", norm("2764-FE0F"));
    }

    @Test
    void subdivisionFlagsWithUnderscoresAndWithoutTagTerminatorJoin() {
        String fluent = norm("1f3f4-e0067_e0062_e0065_e006e_e0067");
        String emojibase = norm("1F3F4-E0067-E0062-E0065-E006E-E0067-E007F");
        assertEquals("1F3F4-E0067-E0062-E0065-E006E-E0067", fluent);
        assertEquals(fluent, emojibase);
        assertEquals(fluent, norm("1f3f4_e0067_e0062_e0065_e006e_e0067_e007f"));
    }

    @Test
    void paddingIsToFourDigitsAndLongerCodePointsAreKept() {
        assertEquals("0030-20E3", norm("30-20e3"));
        assertEquals("1F98A", norm("1f98a"));
        assertEquals("1F98A", norm("01F98A"));
        assertEquals("0031-20E3", norm(" 31--fe0f-20e3 "));
    }

    @Test
    void malformedKeysAreBadInput() {
        for (String s : List.of("", "fe0f", "xyz", "1f98a.png", "1234567", "-_-")) {
            LdmException e = assertThrows(LdmException.class, () -> EmojiKey.parse(s, "where.json"), s);
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().startsWith("where.json: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new EmojiKey("1f98a"));
    }

    @Test
    void skinToneVariantsBelongToTheirBaseConcept() {
        EmojiKey wave = EmojiKey.parse("1f44b-1f3fd", "t");
        assertTrue(wave.isSkinToneVariant());
        assertEquals(new EmojiKey("1F44B"), wave.concept());
        EmojiKey couple = EmojiKey.parse("1F9D1-1F3FB-200D-1F91D-200D-1F9D1-1F3FF", "t");
        assertEquals(new EmojiKey("1F9D1-200D-1F91D-200D-1F9D1"), couple.concept());
        EmojiKey swatch = new EmojiKey("1F3FB");
        assertFalse(swatch.isSkinToneVariant(), "a tone swatch is an emoji of its own");
        assertEquals(swatch, swatch.concept());
        assertFalse(new EmojiKey("1F98A").isSkinToneVariant());
    }

    @Test
    void toneReplacementAndTextRoundTrip() {
        EmojiKey k = new EmojiKey("1F469-1F3FC-200D-1F4BB");
        assertEquals(new EmojiKey("1F469-1F3FD-200D-1F4BB"), k.replaceTone("1F3FC", "1F3FD"));
        assertEquals(k, k.replaceTone("1F3FD", "1F3FC").replaceTone("1F3FB", "1F3FF"));
        assertEquals("\uD83E\uDD8A", new EmojiKey("1F98A").text());
        String text = "\uD83D\uDC4B\uD83C\uDFFD";
        String hex = text.codePoints().mapToObj(Integer::toHexString).reduce((a, b) -> a + "-" + b).orElseThrow();
        assertEquals(text, EmojiKey.parse(hex, "t").text());
    }
}
