package dev.ldm.train;

import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeEncoder;
import dev.ldm.text.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training set encoded once: normalised VAE latents for every image, and the text encoder's
 * output for every distinct caption (plus first tags and the empty prompt, see {@link CaptionTable}).
 * Each image names the table rows of its alternative captions. Saved as one safetensors file keyed
 * by a hash of the data and the encoders, so a re-run reuses it and the training loop never touches
 * ONNX Runtime or image decoding.
 *
 * @param latents [N, C, h, w] normalised
 * @param text the encoded captions
 * @param choices for each image, the table rows of its captions (at least one; the first is its main caption)
 */
public record LatentCache(Tensor latents, CaptionTable text, int[][] choices) {
    private static final int ENCODE_BATCH = 32;

    public LatentCache {
        if (choices.length != latents.shape()[0]) {
            throw new IllegalArgumentException(latents.shape()[0] + " latents but " + choices.length + " caption lists");
        }
        for (int[] c : choices) {
            if (c.length == 0 || java.util.Arrays.stream(c).anyMatch(r -> r < 0 || r >= text.size())) {
                throw new IllegalArgumentException("an image's caption rows are empty or out of range");
            }
        }
    }

    /**
     * A cache with one caption per image, encoded per row (no first-tag encodings): {@code states}
     * [N, L, D], {@code mask} [N, L], {@code pooled} [N, D], the empty prompt's [1, ...] encodings and
     * the captions.
     */
    public LatentCache(Tensor latents, Tensor states, Tensor mask, Tensor pooled, Tensor emptyStates,
            Tensor emptyMask, Tensor emptyPooled, List<String> captions) {
        this(latents, perRowTable(states, mask, pooled, emptyStates, emptyMask, emptyPooled, captions),
                java.util.stream.IntStream.range(0, captions.size()).mapToObj(i -> new int[] {i}).toArray(int[][]::new));
    }

    /** Row i is caption i (its own first tag), row N the empty prompt. */
    private static CaptionTable perRowTable(Tensor states, Tensor mask, Tensor pooled, Tensor emptyStates,
            Tensor emptyMask, Tensor emptyPooled, List<String> captions) {
        int n = captions.size();
        List<String> texts = new ArrayList<>(captions);
        texts.add("");
        return new CaptionTable(Tensor.concat(List.of(states, emptyStates)), Tensor.concat(List.of(mask, emptyMask)),
                Tensor.concat(List.of(pooled, emptyPooled)), texts, java.util.stream.IntStream.rangeClosed(0, n).toArray(),
                n);
    }

    public int size() {
        return (int) latents.shape()[0];
    }

    /** Each image's main (first) caption. */
    public List<String> captions() {
        List<String> out = new ArrayList<>(choices.length);
        for (int[] c : choices) {
            out.add(text.texts().get(c[0]));
        }
        return out;
    }

    /** The cache with image i repeated {@code repeats[i]} times, in place order (the caption table is shared). */
    public LatentCache repeat(int[] repeats) {
        int[] rows = java.util.stream.IntStream.range(0, repeats.length)
                .flatMap(i -> java.util.stream.IntStream.generate(() -> i).limit(repeats[i])).toArray();
        return new LatentCache(latents.rows(rows), text,
                java.util.Arrays.stream(rows).mapToObj(i -> choices[i]).toArray(int[][]::new));
    }

    /** Normalised latents of the images, {@link #ENCODE_BATCH} per encoder call: [n, C, h, w]. */
    public static Tensor encode(List<Tensor> images, VaeEncoder vae, LatentNormalization norm) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to encode");
        }
        List<Tensor> lat = new ArrayList<>();
        for (int i = 0; i < images.size(); i += ENCODE_BATCH) {
            lat.add(norm.normalize(vae.encode(Tensor.stack(images.subList(i, Math.min(images.size(), i + ENCODE_BATCH))))));
        }
        return lat.size() == 1 ? lat.get(0) : Tensor.concat(lat);
    }

    /**
     * The cache of latents encoded already (row i is image i) with each image's captions; every
     * distinct caption is encoded once.
     */
    public static LatentCache of(Tensor latents, List<List<String>> captions, TextEncoder text) {
        CaptionTable table = CaptionTable.encode(captions.stream().flatMap(List::stream).toList(), text);
        Map<String, Integer> rows = table.rows();
        int[][] choices = captions.stream().map(cs -> cs.stream().mapToInt(rows::get).toArray()).toArray(int[][]::new);
        return new LatentCache(latents, table, choices);
    }

    public void save(Path file) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("latents", latents);
        t.put("text.states", text.states());
        t.put("text.mask", text.mask());
        t.put("text.pooled", text.pooled());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("texts", Json.compact(text.texts()));
        meta.put("first_tag", Json.compact(text.firstTag()));
        meta.put("empty", Integer.toString(text.empty()));
        meta.put("choices", Json.compact(choices));
        Safetensors.write(file, t, meta, Safetensors.DType.F32);
    }

    public static LatentCache load(Path file) {
        Safetensors.Contents c = Safetensors.readAll(file);
        Map<String, Tensor> t = c.tensors();
        for (String k : List.of("latents", "text.states", "text.mask", "text.pooled")) {
            if (!t.containsKey(k)) {
                throw LdmException.badInput(file + ": latent cache has no '" + k + "' (delete it to rebuild)");
            }
        }
        Map<String, String> meta = c.metadata();
        for (String k : List.of("texts", "first_tag", "empty", "choices")) {
            if (!meta.containsKey(k)) {
                throw LdmException.badInput(file + ": latent cache has no '" + k + "' metadata (delete it to rebuild)");
            }
        }
        String where = file.toString();
        try {
            CaptionTable table = new CaptionTable(t.get("text.states"), t.get("text.mask"), t.get("text.pooled"),
                    List.of(Json.parse(meta.get("texts"), String[].class, where)),
                    Json.parse(meta.get("first_tag"), int[].class, where), Integer.parseInt(meta.get("empty")));
            return new LatentCache(t.get("latents"), table, Json.parse(meta.get("choices"), int[][].class, where));
        } catch (IllegalArgumentException e) {
            throw LdmException.badInput(file + ": latent cache is inconsistent (" + e.getMessage()
                    + "; delete it to rebuild)", e);
        }
    }
}
