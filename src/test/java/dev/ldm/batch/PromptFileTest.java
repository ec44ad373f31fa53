package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.request.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileTest {
    private static List<PromptLine> parse(String text) {
        return PromptFile.parse(text, "p.txt", false, null);
    }

    private static String error(String text, boolean jsonl) {
        LdmException e = assertThrows(LdmException.class, () -> PromptFile.parse(text, "p.txt", jsonl, null));
        assertEquals(LdmException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndOrdinalsCountPromptsOnly() {
        List<PromptLine> lines = parse("# header\n\n  a red circle  \n   # indented comment\n\ta blue star\n");
        assertEquals(2, lines.size());
        assertEquals("a red circle", lines.get(0).options().prompt());
        assertEquals("p.txt:3", lines.get(0).where());
        assertEquals(0, lines.get(0).ordinal());
        assertEquals("a blue star", lines.get(1).options().prompt());
        assertEquals("p.txt:5", lines.get(1).where());
        assertEquals(1, lines.get(1).ordinal());
        assertNull(lines.get(0).options().seed());
    }

    @Test
    void overridesUseTheGenerateOptionNames() {
        RequestOptions o = parse("a red circle --seed 3 --cfg 5 --n 4 --steps 20 --negative \"blue sky\" "
                + "--sampler heun --shift 2 --size 32 --init-image=cat.png --strength 0.5").get(0).options();
        assertEquals("a red circle", o.prompt());
        assertEquals(3L, o.seed());
        assertEquals(5.0, o.cfg());
        assertEquals(4, o.n());
        assertEquals(20, o.steps());
        assertEquals("blue sky", o.negative());
        assertEquals("heun", o.sampler());
        assertEquals(2.0, o.shift());
        assertEquals(32, o.size());
        assertEquals("cat.png", o.initImage());
        assertEquals(0.5, o.strength());
    }

    @Test
    void quotesAreRespected() {
        RequestOptions o = parse("\"a fox -- jumping --high\" --negative 'it''s \"odd\"' --sampler \"sde:0.5\"")
                .get(0).options();
        assertEquals("a fox -- jumping --high", o.prompt());
        assertEquals("its \"odd\"", o.negative());
        assertEquals("sde:0.5", o.sampler());
        assertEquals("a cat's \"toy\"", parse("a cat's \"toy\" --seed 1").get(0).options().prompt());
        assertEquals("a 12\" record", parse("a 12\" record --seed 1").get(0).options().prompt());
        assertEquals(1L, parse("a 12\" record --seed 1").get(0).options().seed());
        assertEquals("say \"hi\"", parse("a --negative \"say \\\"hi\\\"\"").get(0).options().negative());
        assertEquals("well-known a--b", parse("well-known a--b").get(0).options().prompt());
    }

    @Test
    void crlfAndByteOrderMarkAreHandled() {
        List<PromptLine> lines = parse("\uFEFFa red circle --seed 1\r\n# c\r\n\r\na blue star\r\n");
        assertEquals(2, lines.size());
        assertEquals("a red circle", lines.get(0).options().prompt());
        assertEquals(1L, lines.get(0).options().seed());
        assertEquals("a blue star", lines.get(1).options().prompt());
        assertEquals("p.txt:4", lines.get(1).where());
    }

    @Test
    void badOverridesNameTheFileAndLine() {
        String m = error("a\n# x\na red circle --sed 3\n", false);
        assertTrue(m.startsWith("p.txt:3: ") && m.contains("--sed"), m);
        assertTrue(error("a red circle --steps many", false).startsWith("p.txt:1: --steps"));
        assertTrue(error("a red circle --seed", false).contains("needs a value"));
        assertTrue(error("a red circle --seed 1 --seed 2", false).contains("twice"));
        assertTrue(error("a red circle --seed 1 extra", false).contains("'extra'"));
        assertTrue(error("a red circle --negative \"open", false).contains("unclosed"));
        assertTrue(error("--seed 3", false).contains("no prompt"));
    }

    @Test
    void jsonLinesHaveTheSameFields() {
        String text = "{\"prompt\": \"a red circle\", \"seed\": 3, \"cfg\": 5, \"n\": 2, \"negative\": \"blue\","
                + " \"sampler\": \"heun\", \"steps\": 7, \"shift\": 2, \"size\": 16, \"init_image\": \"x.png\","
                + " \"strength\": 0.25}\n# comment\n\n{\"prompt\": \"a blue star\", \"seed\": null}\n";
        List<PromptLine> lines = PromptFile.parse(text, "p.jsonl", true, null);
        assertEquals(2, lines.size());
        assertEquals(RequestOptions.NONE.withPrompt("a red circle").with("negative", "blue").with("steps", "7")
                .with("cfg", "5").with("seed", "3").with("n", "2").with("size", "16").with("sampler", "heun")
                .with("shift", "2").with("init-image", "x.png").with("strength", "0.25"),
                lines.get(0).options());
        assertNull(lines.get(1).options().seed());
        // a line starting with '{' is JSON in a text file too
        assertEquals(9L, parse("a plain line\n{\"prompt\": \"json\", \"seed\": 9}").get(1).options().seed());
    }

    @Test
    void badJsonLinesNameTheFileAndLine() {
        assertTrue(error("{\"prompt\": \"x\", \"sed\": 1}", true).startsWith("p.txt:1: unknown field 'sed'"));
        assertTrue(error("\n{\"prompt\": \"x\", \"steps\": \"20\"}", true).startsWith("p.txt:2: "));
        assertTrue(error("{\"prompt\": 5}", true).contains("must be a string"));
        assertTrue(error("{\"prompt\": \"x\", \"steps\": 2.5}", true).contains("not a whole number"));
        assertTrue(error("{\"prompt\": \"x\"", true).contains("malformed JSON"));
        assertTrue(error("[1, 2]", true).contains("JSON object"));
        assertTrue(error("{\"seed\": 1}", true).contains("no \"prompt\""));
        assertTrue(error("a red circle", true).startsWith("p.txt:1: malformed JSON"));
    }

    @Test
    void initImagesAreRelativeToTheBatchFile(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("prompts"));
        Files.writeString(dir.resolve("b.txt"), "a cat --init-image cat.png\n");
        PromptLine line = PromptFile.read(dir.resolve("b.txt")).get(0);
        assertEquals(dir.toAbsolutePath().resolve("cat.png").toString(), line.options().initImage());
        Files.write(dir.resolve("bad.txt"), new byte[] {'a', ' ', (byte) 0xff, '\n'});
        LdmException e = assertThrows(LdmException.class, () -> PromptFile.read(dir.resolve("bad.txt")));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void shippedExamplesParse() {
        List<PromptLine> txt = PromptFile.read(Path.of("prompts/shapes.txt"));
        List<PromptLine> jsonl = PromptFile.read(Path.of("prompts/colours.jsonl"));
        assertTrue(txt.size() >= 12, "shapes.txt has " + txt.size() + " prompts");
        assertTrue(jsonl.size() >= 6);
        assertEquals("a yellow cross -- centred", txt.stream().filter(l -> l.options().seed() != null
                && l.options().seed() == 7L).findFirst().orElseThrow().options().prompt());
    }
}
