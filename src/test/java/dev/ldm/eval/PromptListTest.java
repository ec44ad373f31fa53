package dev.ldm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.judge.LabelRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptListTest {
    @TempDir
    Path dir;

    @Test
    void plainLinesAreLiteralPromptsLabelledByTheJudgesRule() throws Exception {
        Path f = Files.writeString(dir.resolve("p.txt"), "# comment\nfox, noto style\n\n a red fox --seed 3 \n");
        assertEquals(List.of(new EvalPrompt("fox, noto style", null), new EvalPrompt("a red fox --seed 3", null)),
                PromptList.read(f));
        assertEquals("fox", LabelRule.CONCEPT.label(PromptList.read(f).get(0).labelSource()));
    }

    @Test
    void jsonLinesNameTheirClass() throws Exception {
        Path f = Files.writeString(dir.resolve("p.jsonl"),
                "{\"prompt\": \"a red fox\", \"label\": \"fox\"}\n\n{\"prompt\": \"pizza, noto style\"}\n");
        List<EvalPrompt> p = PromptList.read(f);
        assertEquals(List.of(new EvalPrompt("a red fox", "fox"), new EvalPrompt("pizza, noto style", null)), p);
        assertEquals("fox", LabelRule.CONCEPT.label(p.get(0).labelSource()));
        assertEquals("pizza", LabelRule.CONCEPT.label(p.get(1).labelSource()));
    }

    @Test
    void jsonLinesMayNameAColourAndAGroup() throws Exception {
        Path f = Files.writeString(dir.resolve("g.jsonl"),
                "{\"prompt\": \"a drawing of a fox\", \"label\": \"fox\", \"group\": \"drawing\"}\n"
                        + "{\"prompt\": \"a blue fox\", \"label\": \"fox\", \"colour\": \"blue\"}\n");
        assertEquals(List.of(new EvalPrompt("a drawing of a fox", "fox", null, "drawing"),
                new EvalPrompt("a blue fox", "fox", "blue", null)), PromptList.read(f));
    }

    @Test
    void badJsonLinesAreBadInput() throws Exception {
        for (String bad : List.of("{\"label\": \"fox\"}", "not json", "{\"prompt\": \"  \"}",
                "{\"prompt\": \"a fox\", \"group\": \"\"}",
                "{\"prompt\": \"a fox\", \"group\": \"" + "g".repeat(65) + "\"}")) {
            Path f = Files.writeString(dir.resolve("bad.jsonl"), bad + "\n");
            LdmException e = assertThrows(LdmException.class, () -> PromptList.read(f), bad);
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        }
    }
}
