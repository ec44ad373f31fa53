package dev.ldm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ldm.io.Tensor;
import org.junit.jupiter.api.Test;

/** Batch plumbing and pooling on hand-made states (no model needed). */
class TextEmbeddingTest {
    /** B = 2, L = 3, D = 2; row 0 has 2 real tokens, row 1 has 3. */
    private static TextEmbedding sample(float offset) {
        float[] s = new float[12];
        for (int i = 0; i < s.length; i++) {
            s[i] = i + offset;
        }
        Tensor states = new Tensor(new long[] {2, 3, 2}, s);
        Tensor mask = new Tensor(new long[] {2, 3}, new float[] {1, 1, 0, 1, 1, 1});
        return new TextEmbedding(states, mask, TextPooling.MEAN.pool(states, mask));
    }

    @Test
    void poolingVariants() {
        TextEmbedding e = sample(0);
        // row 0 tokens (0,1) (2,3): mean (1,2); row 1 tokens (6,7) (8,9) (10,11): mean (8,9)
        assertArrayEquals(new float[] {1, 2, 8, 9}, e.pooled().data());
        assertArrayEquals(new float[] {0, 1, 6, 7}, TextPooling.FIRST.pool(e.states(), e.mask()).data());
        assertArrayEquals(new float[] {2, 3, 10, 11}, TextPooling.EOS.pool(e.states(), e.mask()).data());
        assertEquals(TextPooling.EOS, TextPooling.parse("EOS"));
    }

    @Test
    void concatThenSelectGivesBackTheParts() {
        TextEmbedding a = sample(0);
        TextEmbedding b = sample(100);
        TextEmbedding both = TextEmbedding.concat(a, b);
        assertEquals(4, both.batch());
        assertArrayEquals(new int[] {2, 3, 2, 3}, both.tokenCounts());
        assertEquals(a, both.select(0, 1));
        assertEquals(b, both.select(2, 3));
        TextEmbedding repeated = b.select(1, 1, 1);
        assertEquals(3, repeated.batch());
        assertEquals(b.select(1).states(), repeated.select(2).states());
    }

    @Test
    void refusesMismatchedShapes() {
        TextEmbedding a = sample(0);
        Tensor wide = new Tensor(new long[] {1, 3, 4}, new float[12]);
        Tensor mask = new Tensor(new long[] {1, 3}, new float[3]);
        TextEmbedding b = new TextEmbedding(wide, mask, new Tensor(new long[] {1, 4}, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> TextEmbedding.concat(a, b));
        assertThrows(IllegalArgumentException.class, () -> new TextEmbedding(wide, mask, a.pooled()));
        assertThrows(IndexOutOfBoundsException.class, () -> a.select(2));
    }
}
