package dev.ldm.lora;

import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA on disk: one small safetensors file ({@value #FILE} by default) with
 * {@code MODULE.lora_A.weight} [r, in] and {@code MODULE.lora_B.weight} [out, r] per adapted layer,
 * and in its metadata the format ({@value #FORMAT}), rank, alpha, the target patterns, the adapted
 * module names and the hash of the base model's DiT weights (as {@code ModelFolder.hash()} gives
 * it), so that it is never applied to weights it was not trained on.
 *
 * <p>A fine-tune of a cascade adapts both stages: the draft model's adapters are in the same file,
 * their names prefixed {@value #DRAFT_PREFIX}, with the draft's DiT hash in
 * {@code draft_base_model_hash}, so that one file carries the whole fine-tune.
 *
 * @param config rank, alpha and target patterns (the draft's adapters have the same)
 * @param tensors A and B of every adapted layer, by PEFT-style name
 * @param baseHash the base model's DiT weight hash
 * @param info further facts written as metadata (base model name, trigger word, data, steps)
 * @param draft the adapters of the base model's draft model, or null when the draft was not fine-tuned
 */
public record LoraFile(LoraConfig config, Map<String, Tensor> tensors, String baseHash, Map<String, String> info,
        LoraFile draft) {
    public static final String FORMAT = "ldm-lora/1";
    public static final String FILE = "lora.safetensors";
    /** Name prefix of the draft model's adapters. */
    public static final String DRAFT_PREFIX = "draft.";
    private static final String DRAFT_HASH = "draft_base_model_hash";
    private static final List<String> RESERVED =
            List.of("format", "rank", "alpha", "targets", "target_modules", "base_model_hash", DRAFT_HASH);

    public LoraFile {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        info = Map.copyOf(info);
        if (baseHash == null || baseHash.isBlank()) {
            throw new IllegalArgumentException("a LoRA needs its base model hash");
        }
        if (tensors.keySet().stream().anyMatch(k -> k.startsWith(DRAFT_PREFIX))) {
            throw new IllegalArgumentException("adapter names starting with '" + DRAFT_PREFIX + "' are the draft's");
        }
        if (draft != null && (draft.draft() != null || !draft.config().equals(config))) {
            throw new IllegalArgumentException("a draft's adapters have the LoRA's shape and no draft of their own");
        }
    }

    /** A LoRA of one model (no draft part). */
    public LoraFile(LoraConfig config, Map<String, Tensor> tensors, String baseHash, Map<String, String> info) {
        this(config, tensors, baseHash, info, null);
    }

    /** This LoRA with the draft model's adapters added. */
    public LoraFile withDraft(LoraFile draftPart) {
        return new LoraFile(config, tensors, baseHash, info, draftPart);
    }

    /** Names of the adapted modules, in file order. */
    public List<String> modules() {
        List<String> out = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (k.endsWith(LoraNetwork.A_SUFFIX)) {
                out.add(k.substring(0, k.length() - LoraNetwork.A_SUFFIX.length()));
            }
        }
        return out;
    }

    /** A of a module: [r, in]. */
    public Tensor a(String module) {
        return tensors.get(module + LoraNetwork.A_SUFFIX);
    }

    /** B of a module: [out, r]. */
    public Tensor b(String module) {
        return tensors.get(module + LoraNetwork.B_SUFFIX);
    }

    /** Writes the file atomically (float32: small, and merging stays exact). */
    public void write(Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("rank", Integer.toString(config.rank()));
        meta.put("alpha", Double.toString(config.alpha()));
        meta.put("targets", Json.compact(config.targets()));
        meta.put("target_modules", Json.compact(modules()));
        meta.put("base_model_hash", baseHash);
        Map<String, Tensor> all = new LinkedHashMap<>(tensors);
        if (draft != null) {
            meta.put(DRAFT_HASH, draft.baseHash());
            draft.tensors().forEach((k, v) -> all.put(DRAFT_PREFIX + k, v));
        }
        info.forEach((k, v) -> {
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException("reserved LoRA metadata key " + k);
            }
            meta.put(k, v);
        });
        Safetensors.write(file, all, meta, Safetensors.DType.F32);
    }

    /** Reads and checks a LoRA file; anything malformed is bad input naming the file. */
    public static LoraFile read(Path file) {
        Safetensors.Contents c = Safetensors.readAll(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw LdmException.badInput(file + ": not an ldm LoRA (metadata format is " + meta.get("format")
                    + ", expected " + FORMAT + ")");
        }
        LoraConfig config;
        try {
            config = new LoraConfig(Integer.parseInt(meta.get("rank")), Double.parseDouble(meta.get("alpha")),
                    List.of(Json.parse(meta.get("targets"), String[].class, file.toString())));
        } catch (RuntimeException e) {
            throw LdmException.badInput(file + ": LoRA rank, alpha or targets are missing or invalid", e);
        }
        String hash = meta.get("base_model_hash");
        if (hash == null || hash.isBlank()) {
            throw LdmException.badInput(file + ": LoRA names no base_model_hash");
        }
        Map<String, String> info = new LinkedHashMap<>(meta);
        RESERVED.forEach(info::remove);
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Tensor> draftTensors = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> (k.startsWith(DRAFT_PREFIX) ? draftTensors : own)
                .put(k.startsWith(DRAFT_PREFIX) ? k.substring(DRAFT_PREFIX.length()) : k, v));
        String draftHash = meta.get(DRAFT_HASH);
        if (draftTensors.isEmpty() != (draftHash == null || draftHash.isBlank())) {
            throw LdmException.badInput(file + ": LoRA has " + (draftTensors.isEmpty() ? "a " + DRAFT_HASH
                    + " but no draft adapters" : "draft adapters but no " + DRAFT_HASH));
        }
        LoraFile draftPart = draftTensors.isEmpty() ? null : new LoraFile(config, draftTensors, draftHash, Map.of());
        LoraFile lora = new LoraFile(config, own, hash, info, draftPart);
        lora.check(file);
        if (draftPart != null) {
            draftPart.check(file);
        }
        return lora;
    }

    /** Refuses a LoRA made for other base weights, as one line naming both hashes. */
    public void requireBase(String modelHash, String source) {
        if (!baseHash.equals(modelHash)) {
            throw LdmException.badInput(source + ": LoRA was trained on a model with hash " + baseHash
                    + ", not this model (hash " + modelHash + ")");
        }
    }

    /**
     * {@link #requireBase(String, String)}, and for a LoRA with draft adapters the same of the model's
     * draft model ({@code draftHash}, null when the model has none).
     */
    public void requireBase(String modelHash, String draftHash, String source) {
        requireBase(modelHash, source);
        if (draft == null) {
            return;
        }
        if (draftHash == null) {
            throw LdmException.badInput(source + ": LoRA also adapts a draft model (hash " + draft.baseHash()
                    + "), and this model has none");
        }
        if (!draft.baseHash().equals(draftHash)) {
            throw LdmException.badInput(source + ": LoRA's draft adapters were trained on a draft model with hash "
                    + draft.baseHash() + ", not this model's draft (hash " + draftHash + ")");
        }
    }

    /** Every module has A [r, in] and B [out, r]; nothing else is in the file. */
    private void check(Path file) {
        List<String> modules = modules();
        if (modules.isEmpty() || tensors.size() != 2 * modules.size()) {
            throw LdmException.badInput(file + ": LoRA tensors must come in " + LoraNetwork.A_SUFFIX + " / "
                    + LoraNetwork.B_SUFFIX + " pairs");
        }
        int r = config.rank();
        for (String m : modules) {
            Tensor a = a(m);
            Tensor b = b(m);
            if (b == null || a.shape().length != 2 || b.shape().length != 2 || a.shape()[0] != r
                    || b.shape()[1] != r) {
                throw LdmException.badInput(file + ": LoRA layer '" + m + "' must have A [" + r + ", in] and B [out, "
                        + r + "]");
            }
        }
    }
}
