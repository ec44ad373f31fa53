package dev.ldm.train;

import dev.ldm.LdmException;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The training set encoded once: normalised VAE latents and text-encoder states for every
 * image–caption pair, plus the empty prompt's encoding (for caption dropout). Saved as one
 * safetensors file keyed by a hash of the data and the encoders, so a re-run reuses it and the
 * training loop never touches ONNX Runtime or image decoding.
 *
 * @param latents [N, C, h, w] normalised
 * @param states [N, L, D]
 * @param mask [N, L]
 * @param pooled [N, D]
 * @param emptyStates [1, L, D], emptyMask [1, L], emptyPooled [1, D]: the empty prompt
 * @param shortStates [N, L, D], shortMask [N, L], shortPooled [N, D]: each caption's first tag alone
 *     (see {@link #firstTag}), for tag dropout; null when not encoded (then the full caption stands in)
 */
public record LatentCache(Tensor latents, Tensor states, Tensor mask, Tensor pooled, Tensor emptyStates,
        Tensor emptyMask, Tensor emptyPooled, List<String> captions, Tensor shortStates, Tensor shortMask,
        Tensor shortPooled) {
    private static final int ENCODE_BATCH = 32;

    /** A cache without first-tag encodings (tag dropout then trains on the full captions). */
    public LatentCache(Tensor latents, Tensor states, Tensor mask, Tensor pooled, Tensor emptyStates,
            Tensor emptyMask, Tensor emptyPooled, List<String> captions) {
        this(latents, states, mask, pooled, emptyStates, emptyMask, emptyPooled, captions, null, null, null);
    }

    /** The text before a caption's first comma, trimmed ({@code fox} for {@code fox, noto style}); else the caption. */
    public static String firstTag(String caption) {
        int comma = caption.indexOf(',');
        String tag = comma < 0 ? caption : caption.substring(0, comma).trim();
        return tag.isEmpty() ? caption : tag;
    }

    /** Whether first-tag encodings are present. */
    public boolean hasShort() {
        return shortStates != null;
    }

    public int size() {
        return (int) latents.shape()[0];
    }

    /** Loads {@code file} if it exists, else encodes and writes it. */
    public static LatentCache loadOrBuild(Path file, List<Tensor> images, List<String> captions, VaeEncoder vae,
            LatentNormalization norm, TextEncoder text, IntConsumer progress) {
        if (Files.isRegularFile(file)) {
            return load(file);
        }
        LatentCache c = build(images, captions, vae, norm, text, progress);
        c.save(file);
        return c;
    }

    public static LatentCache build(List<Tensor> images, List<String> captions, VaeEncoder vae,
            LatentNormalization norm, TextEncoder text, IntConsumer progress) {
        if (images.isEmpty()) {
            throw LdmException.badInput("no training images");
        }
        List<Tensor> lat = new ArrayList<>();
        List<TextEmbedding> emb = new ArrayList<>();
        List<TextEmbedding> shortEmb = new ArrayList<>();
        for (int i = 0; i < images.size(); i += ENCODE_BATCH) {
            int end = Math.min(images.size(), i + ENCODE_BATCH);
            List<String> part = captions.subList(i, end);
            lat.add(norm.normalize(vae.encode(Tensor.stack(images.subList(i, end)))));
            emb.add(text.encode(part));
            shortEmb.add(text.encode(part.stream().map(LatentCache::firstTag).toList()));
            progress.accept(end);
        }
        TextEmbedding empty = text.encode(List.of(""));
        TextEmbedding all = TextEmbedding.concat(emb);
        TextEmbedding first = TextEmbedding.concat(shortEmb);
        return new LatentCache(Tensor.concat(lat), all.states(), all.mask(), all.pooled(),
                empty.states(), empty.mask(), empty.pooled(), List.copyOf(captions), first.states(), first.mask(),
                first.pooled());
    }

    public void save(Path file) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("latents", latents);
        t.put("states", states);
        t.put("mask", mask);
        t.put("pooled", pooled);
        t.put("empty.states", emptyStates);
        t.put("empty.mask", emptyMask);
        t.put("empty.pooled", emptyPooled);
        if (hasShort()) {
            t.put("short.states", shortStates);
            t.put("short.mask", shortMask);
            t.put("short.pooled", shortPooled);
        }
        Safetensors.write(file, t, Map.of("captions", dev.ldm.io.Json.compact(captions)), Safetensors.DType.F32);
    }

    public static LatentCache load(Path file) {
        Safetensors.Contents c = Safetensors.readAll(file);
        Map<String, Tensor> t = c.tensors();
        for (String k : List.of("latents", "states", "mask", "pooled", "empty.states", "empty.mask", "empty.pooled")) {
            if (!t.containsKey(k)) {
                throw LdmException.badInput(file + ": latent cache has no '" + k + "' (delete it to rebuild)");
            }
        }
        String[] caps = dev.ldm.io.Json.parse(c.metadata().getOrDefault("captions", "[]"), String[].class, file.toString());
        return new LatentCache(t.get("latents"), t.get("states"), t.get("mask"), t.get("pooled"), t.get("empty.states"),
                t.get("empty.mask"), t.get("empty.pooled"), List.of(caps), t.get("short.states"), t.get("short.mask"),
                t.get("short.pooled"));
    }
}
