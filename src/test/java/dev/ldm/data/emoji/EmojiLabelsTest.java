package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiLabelsTest {
    @TempDir
    Path dir;

    @Test
    void foldsUnicodePunctuationAndAccentsToLowerCaseAscii() {
        assertEquals("man's shoe", EmojiLabels.fold("man\u2019s shoe"));
        assertEquals("\"quoted\" text", EmojiLabels.fold("\u201Cquoted\u201D text"));
        assertEquals("flag: aland islands", EmojiLabels.fold("flag: \u00C5land Islands"));
        assertEquals("flag: sao tome & principe", EmojiLabels.fold("flag: S\u00E3o Tom\u00E9 & Pr\u00EDncipe"));
        assertEquals("flag: curacao", EmojiLabels.fold("flag: Cura\u00E7ao"));
        assertEquals("pinata", EmojiLabels.fold("Pi\u00F1ata"));
        assertEquals("wait...", EmojiLabels.fold("Wait\u2026"));
        assertEquals("a - b", EmojiLabels.fold("A \u2013 B"));
        assertEquals("keycap: #", EmojiLabels.fold("  keycap:\u00A0 # "));
    }

    @Test
    void foldedLabelsArePrintableAsciiAndFoldingIsIdempotent() {
        for (String s : new String[] {"\u00C5\u00E7\u00ED\u00F4\u00FC\u201C\u201D\u2019", "fox", "Flag: \u65E5\u672C"}) {
            String f = EmojiLabels.fold(s);
            assertTrue(f.chars().allMatch(c -> c >= 0x20 && c <= 0x7E), f);
            assertEquals(f, f.toLowerCase(java.util.Locale.ROOT));
            assertEquals(f, EmojiLabels.fold(f));
        }
    }

    @Test
    void readsLabelsSkinsAndCategoriesUnderNormalisedKeys() throws Exception {
        Path nm = FakeEmojiPackages.write(dir);
        EmojiLabels labels = EmojiLabels.read(nm.resolve("emojibase-data"));
        assertEquals(new EmojiLabels.Entry("fox", "smileys-emotion", "face"),
                labels.get(new EmojiKey("1F98A")).orElseThrow());
        assertEquals("keycap: #", labels.get(EmojiKey.parse("23-fe0f-20e3", "t")).orElseThrow().label());
        EmojiLabels.Entry skin = labels.get(new EmojiKey("1F44B-1F3FC")).orElseThrow();
        assertEquals("waving hand: medium-light skin tone", skin.label());
        assertEquals("face", skin.subgroup(), "skins carry their base entry's subgroup");
        assertEquals("subdivision-flag",
                labels.get(EmojiKey.parse("1f3f4-e0067_e0062_e0065_e006e_e0067", "t")).orElseThrow().subgroup());
        assertEquals("pinata", labels.get(new EmojiKey("1FA85")).orElseThrow().label());
        assertEquals("", labels.get(new EmojiKey("1F3FB")).orElseThrow().group(), "no group: empty");
        assertTrue(labels.get(new EmojiKey("1FAE8")).isEmpty());
        assertEquals(16, labels.size());
    }

    @Test
    void malformedLabelFilesAreBadInput() throws Exception {
        Path nm = FakeEmojiPackages.write(dir);
        Path data = nm.resolve("emojibase-data/en/data.json");
        Files.writeString(data, "[{\"label\": \"fox\"}]");
        LdmException e = assertThrows(LdmException.class, () -> EmojiLabels.read(nm.resolve("emojibase-data")));
        assertTrue(e.getMessage().contains("hexcode"), e.getMessage());
        Files.writeString(data, "[{\"label\": \"fox\", \"hexcode\": \"1F98A\", \"group\": \"x\"}]");
        e = assertThrows(LdmException.class, () -> EmojiLabels.read(nm.resolve("emojibase-data")));
        assertEquals(LdmException.BAD_INPUT, e.exitCode());
        LdmException missing = assertThrows(LdmException.class, () -> EmojiLabels.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }
}
