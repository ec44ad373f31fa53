package dev.ldm.text;

import dev.ldm.io.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * A batch of encoded prompts: what the DiT is conditioned on. The states feed cross-attention (the
 * mask says which positions are real tokens), the pooled vector feeds the global conditioning.
 *
 * @param states [B, L, D] token states
 * @param mask [B, L], 1 for a real token, 0 for padding
 * @param pooled [B, D] one vector per prompt
 */
public record TextEmbedding(Tensor states, Tensor mask, Tensor pooled) {
    public TextEmbedding {
        long[] s = states.shape();
        if (s.length != 3 || mask.shape().length != 2 || pooled.shape().length != 2
                || mask.shape()[0] != s[0] || mask.shape()[1] != s[1]
                || pooled.shape()[0] != s[0] || pooled.shape()[1] != s[2]) {
            throw new IllegalArgumentException("inconsistent text embedding: states " + states.shapeString()
                    + ", mask " + mask.shapeString() + ", pooled " + pooled.shapeString());
        }
    }

    public int batch() {
        return (int) states.shape()[0];
    }

    public int length() {
        return (int) states.shape()[1];
    }

    public int dim() {
        return (int) states.shape()[2];
    }

    /**
     * Stacks two batches, {@code a} first: the conditional and unconditional halves of a
     * classifier-free guidance batch of 2B. Both must have the same length and width.
     */
    public static TextEmbedding concat(TextEmbedding a, TextEmbedding b) {
        return concat(List.of(a, b));
    }

    /** Stacks batches in order (for example the chunks of a long caption list). */
    public static TextEmbedding concat(List<TextEmbedding> parts) {
        TextEmbedding first = parts.get(0);
        for (TextEmbedding p : parts) {
            if (p.length() != first.length() || p.dim() != first.dim()) {
                throw new IllegalArgumentException("cannot concatenate text embeddings "
                        + first.states.shapeString() + " and " + p.states.shapeString());
            }
        }
        return new TextEmbedding(cat(parts, TextEmbedding::states), cat(parts, TextEmbedding::mask),
                cat(parts, TextEmbedding::pooled));
    }

    /**
     * The given rows, in order; a row may repeat (for example {@code select(0, 0, 0)} repeats the
     * empty prompt's encoding for a batch of three).
     */
    public TextEmbedding select(int... rows) {
        return new TextEmbedding(states.rows(rows), mask.rows(rows), pooled.rows(rows));
    }

    /** Number of real tokens in each row. */
    public int[] tokenCounts() {
        int[] n = new int[batch()];
        float[] m = mask.data();
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                n[i / length()]++;
            }
        }
        return n;
    }

    private static Tensor cat(List<TextEmbedding> parts, Function<TextEmbedding, Tensor> field) {
        return Tensor.concat(parts.stream().map(field).toList());
    }
}
