package dev.ldm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextEncoderConfigTest {
    @Test
    void jsonRoundTrip() {
        TextEncoderConfig c = TextEncoderConfig.builtin(16);
        assertEquals(c, Json.parse(Json.pretty(c), TextEncoderConfig.class, "model.json").validate());
    }

    @Test
    void pathsResolveAgainstTheModelFolder() {
        Path model = Path.of("/models/m1");
        TextEncoderConfig c = new TextEncoderConfig("text/model.onnx", "/abs/tokenizer.json", 77,
                "last_hidden_state", 512, "eos").validate();
        assertEquals(Optional.of(model.resolve("text/model.onnx")), c.onnxPath(model));
        assertEquals(Optional.of(Path.of("/abs/tokenizer.json")), c.tokenizerPath(model));
        assertEquals(Optional.empty(), TextEncoderConfig.builtin(16).onnxPath(model));
    }

    @Test
    void validationNamesTheProblem() {
        assertBad(new TextEncoderConfig(null, "t.json", 16, "o", 384, "mean"), "onnx is missing");
        assertBad(new TextEncoderConfig("m.onnx", "t.json", 1, "o", 384, "mean"), "maxLength");
        assertBad(new TextEncoderConfig("m.onnx", "t.json", 16, "o", 0, "mean"), "hiddenSize");
        assertBad(new TextEncoderConfig("m.onnx", "t.json", 16, "o", 384, "max"), "pooling");
        assertBad(new TextEncoderConfig("builtin:clip", "t.json", 16, "o", 384, "mean"), "unknown built-in");
        assertBad(Json.parse("{\"onnx\":\"m.onnx\",\"tokenizer\":\"t.json\",\"outputName\":\"o\"}", TextEncoderConfig.class, "x"),
                "maxLength");
    }

    private static void assertBad(TextEncoderConfig c, String fragment) {
        LdmException e = assertThrows(LdmException.class, c::validate);
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith("text encoder config: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
