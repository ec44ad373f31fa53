package dev.ldm.train;

import dev.ldm.io.Tensor;
import dev.ldm.text.PromptTags;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every distinct text a training run conditions on, encoded once: the captions, each caption's
 * first tag (for tag dropout) and the empty prompt (for caption dropout). A caption shared by
 * several images (the same concept in three styles) is stored once; rows are addressed by index.
 *
 * @param states [U, L, D] token states
 * @param mask [U, L]
 * @param pooled [U, D]
 * @param texts the U texts, in row order
 * @param firstTag for each row, the row of its first tag (the row itself when it has no comma)
 * @param empty the row of the empty prompt
 */
public record CaptionTable(Tensor states, Tensor mask, Tensor pooled, List<String> texts, int[] firstTag, int empty) {
    private static final int ENCODE_BATCH = 32;

    public CaptionTable {
        texts = List.copyOf(texts);
        int u = texts.size();
        if (states.shape()[0] != u || mask.shape()[0] != u || pooled.shape()[0] != u || firstTag.length != u) {
            throw new IllegalArgumentException("caption table: " + u + " texts but states " + states.shapeString()
                    + ", mask " + mask.shapeString() + ", pooled " + pooled.shapeString() + ", " + firstTag.length
                    + " first tags");
        }
        if (empty < 0 || empty >= u || Arrays.stream(firstTag).anyMatch(r -> r < 0 || r >= u)) {
            throw new IllegalArgumentException("caption table: row index out of range");
        }
    }

    /** The rows (in order) of texts {@code captions}, their first tags and "" in one table. */
    public static CaptionTable encode(List<String> captions, TextEncoder text) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        captions.forEach(c -> rows.putIfAbsent(c, rows.size()));
        for (String c : captions) {
            rows.putIfAbsent(PromptTags.firstTag(c), rows.size());
        }
        rows.putIfAbsent("", rows.size());
        List<String> texts = new ArrayList<>(rows.keySet());
        List<TextEmbedding> parts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += ENCODE_BATCH) {
            parts.add(text.encode(texts.subList(i, Math.min(texts.size(), i + ENCODE_BATCH))));
        }
        TextEmbedding all = TextEmbedding.concat(parts);
        int[] first = texts.stream().mapToInt(t -> rows.get(PromptTags.firstTag(t))).toArray();
        return new CaptionTable(all.states(), all.mask(), all.pooled(), texts, first, rows.get(""));
    }

    public int size() {
        return texts.size();
    }

    /** Each text's row. */
    public Map<String, Integer> rows() {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            out.put(texts.get(i), i);
        }
        return out;
    }

    /** Whether some text has a first tag other than itself (else tag dropout has nothing to swap in). */
    public boolean hasTags() {
        for (int i = 0; i < firstTag.length; i++) {
            if (firstTag[i] != i) {
                return true;
            }
        }
        return false;
    }
}
