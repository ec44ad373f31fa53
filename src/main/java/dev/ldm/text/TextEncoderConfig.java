package dev.ldm.text;

import dev.ldm.LdmException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to build ldm's text encoder: an ONNX transformer plus its HuggingFace {@code tokenizer.json}.
 * Saved in the model folder's manifest, so that a model can swap MiniLM for a CLIP text tower without
 * code changes. Paths are relative to the model folder; {@value #BUILTIN_MINILM} names the
 * all-MiniLM-L6-v2 model and tokenizer carried on the classpath by the langchain4j jar.
 *
 * <p>Gson fills records without running validation, so readers call {@link #validate()}; {@link
 * TextEncoder#open} always does.
 *
 * @param onnx the ONNX file (relative to the model folder or absolute), or {@value #BUILTIN_MINILM}
 * @param tokenizer the tokenizer.json file, or {@value #BUILTIN_MINILM}
 * @param maxLength tokens per prompt, special tokens included; every prompt is truncated or padded to it
 * @param outputName the ONNX output holding the token states [B, L, D] ("output_0" for the built-in
 *     MiniLM, "last_hidden_state" for a CLIP or Hugging Face export)
 * @param hiddenSize D, checked against the model when it is opened
 * @param pooling how the pooled vector is made: "mean" (masked mean), "first" (the [CLS] token) or
 *     "eos" (the last real token, as CLIP does)
 */
public record TextEncoderConfig(String onnx, String tokenizer, int maxLength, String outputName,
        int hiddenSize, String pooling) {
    /** The built-in all-MiniLM-L6-v2 (read from the classpath). */
    public static final String BUILTIN_MINILM = "builtin:all-minilm-l6-v2";
    /** Classpath resources of the built-in model (in the langchain4j embeddings jar). */
    static final String BUILTIN_ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String BUILTIN_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
    /** Longest supported prompt; MiniLM has 512 positions and CLIP 77. */
    public static final int MAX_TOKENS = 512;

    /** The built-in MiniLM: 384-wide states, masked-mean pooling. */
    public static TextEncoderConfig builtin(int maxLength) {
        return new TextEncoderConfig(BUILTIN_MINILM, BUILTIN_MINILM, maxLength, "output_0", 384, "mean")
                .validate();
    }

    /** Checks every field; returns this so that a parsed config can be validated in one expression. */
    public TextEncoderConfig validate() {
        requireName("onnx", onnx);
        requireName("tokenizer", tokenizer);
        requireName("outputName", outputName);
        if (maxLength < 2 || maxLength > MAX_TOKENS) {
            throw bad("maxLength must be between 2 and " + MAX_TOKENS + " tokens, not " + maxLength);
        }
        if (hiddenSize < 1) {
            throw bad("hiddenSize must be positive, not " + hiddenSize);
        }
        if (pooling == null) {
            throw bad("pooling is missing (mean, first or eos)");
        }
        TextPooling.parse(pooling);
        return this;
    }

    /** True when the ONNX model is the built-in one. */
    public boolean builtinOnnx() {
        return BUILTIN_MINILM.equals(onnx);
    }

    /** True when the tokenizer is the built-in one. */
    public boolean builtinTokenizer() {
        return BUILTIN_MINILM.equals(tokenizer);
    }

    /** The ONNX file resolved against the model folder; empty for the built-in model. */
    public Optional<Path> onnxPath(Path modelDir) {
        return builtinOnnx() ? Optional.empty() : Optional.of(resolve(modelDir, onnx));
    }

    /** The tokenizer file resolved against the model folder; empty for the built-in tokenizer. */
    public Optional<Path> tokenizerPath(Path modelDir) {
        return builtinTokenizer() ? Optional.empty() : Optional.of(resolve(modelDir, tokenizer));
    }

    private static Path resolve(Path modelDir, String file) {
        Path p = Path.of(file);
        return p.isAbsolute() || modelDir == null ? p : modelDir.resolve(p);
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank()) {
            throw bad(field + " is missing");
        }
        if (value.startsWith("builtin:") && !BUILTIN_MINILM.equals(value)) {
            throw bad(field + ": unknown built-in '" + value + "' (the only one is " + BUILTIN_MINILM + ")");
        }
    }

    private static LdmException bad(String problem) {
        return LdmException.badInput("text encoder config: " + problem);
    }
}
