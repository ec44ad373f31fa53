package dev.ldm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PromptTagsTest {
    @Test
    void firstTagIsTheTextBeforeTheFirstComma() {
        assertEquals("fox", PromptTags.firstTag("fox, noto style"));
        assertEquals("keycap: #", PromptTags.firstTag("keycap: #, twemoji style"));
        assertEquals("family: man", PromptTags.firstTag("family: man, woman, boy, noto style"));
        assertEquals("a red fox", PromptTags.firstTag("a red fox"));
        assertEquals(", x", PromptTags.firstTag(", x"), "an empty first tag: the caption");
    }
}
