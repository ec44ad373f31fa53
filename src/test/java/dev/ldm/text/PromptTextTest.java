package dev.ldm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PromptTextTest {
    @Test
    void foldsTypographicPunctuation() {
        assertEquals("it's a \"quoted\" word...", PromptText.normalize("It\u2019s a \u201Cquoted\u201D word\u2026"));
        assertEquals("'single' - dash", PromptText.normalize("\u2018single\u2019 \u2014 dash"));
    }

    @Test
    void stripsAccentsAndFoldsLetters() {
        assertEquals("flag: cote d'ivoire", PromptText.normalize("flag: C\u00F4te d\u2019Ivoire"));
        assertEquals("pinata cafe creme", PromptText.normalize("Pi\u00F1ata Caf\u00E9 Cr\u00E8me"));
        assertEquals("strasse aeon", PromptText.normalize("Stra\u00DFe \u00C6on"));
        assertEquals("fi 1/2", PromptText.normalize("\uFB01 \u00BD")); // ligature and fraction
    }

    @Test
    void lowerCasesAndCollapsesWhitespace() {
        assertEquals("a red circle", PromptText.normalize("  A\tRED \n\u00A0 Circle  "));
        assertEquals("", PromptText.normalize(" \t\n"));
        assertEquals("zerowidth", PromptText.normalize("zero\u200Bwidth"));
    }

    @Test
    void keepsScriptsWithoutAnAsciiForm() {
        assertEquals("japanese \"here\" button \u3053\u3053", PromptText.normalize("Japanese \u201Chere\u201D button \u3053\u3053"));
    }

    @Test
    void isIdempotent() {
        String once = PromptText.normalize("\u00C9L\u00C8VE \u2019s  \u2026");
        assertEquals(once, PromptText.normalize(once));
    }
}
