package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import dev.ldm.text.PromptTags;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Caption and tag dropout pick whole rows of the full, first-tag or empty encodings, reproducibly. */
class BatchTest {
    static final int N = 6;
    static final int L = 3;
    static final int D = 2;

    /**
     * Image i has caption row i, holding i + 1; its first tag is row N + i, holding -(i + 1); row 2N
     * is the empty prompt, holding 0.
     */
    static LatentCache cache() {
        List<String> captions = List.of("a, x", "b, x", "c, y", "d", "e, y", "f, x");
        List<String> texts = new java.util.ArrayList<>(captions);
        captions.forEach(c -> texts.add(PromptTags.firstTag(c)));
        texts.add("");
        int[] first = new int[2 * N + 1];
        int[][] choices = new int[N][];
        for (int i = 0; i < N; i++) {
            first[i] = N + i;
            first[N + i] = N + i;
            choices[i] = new int[] {i};
        }
        first[2 * N] = 2 * N;
        CaptionTable table = new CaptionTable(rows(L, D), rows(L), rows(D), texts, first, 2 * N);
        return new LatentCache(fill(new long[] {N, 1, 2, 2}, 1), table, choices);
    }

    /** [2N + 1, ...inner]: N rows of i + 1, N rows of -(i + 1), one row of 0. */
    static Tensor rows(long... inner) {
        long[] shape = new long[inner.length + 1];
        shape[0] = N;
        System.arraycopy(inner, 0, shape, 1, inner.length);
        long[] one = shape.clone();
        one[0] = 1;
        int per = (int) (Tensor.numel(one));
        return Tensor.concat(List.of(fill(shape, 1), fill(shape, -1), new Tensor(one, new float[per])));
    }

    static Tensor fill(long[] shape, int sign) {
        int per = (int) (Arrays.stream(shape).reduce(1, (a, b) -> a * b) / shape[0]);
        float[] d = new float[per * (int) shape[0]];
        for (int i = 0; i < d.length; i++) {
            d[i] = sign * (i / per + 1);
        }
        return new Tensor(shape, d);
    }

    /** Per sample: +1 full caption, -1 first tag, 0 empty; checks the row is the batch's own image. */
    static int[] kinds(NDList b, int[] rows) {
        float[] pooled = b.get(3).toFloatArray();
        float[] lat = b.get(0).toFloatArray();
        int[] out = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            assertEquals(rows[j] + 1, lat[j * 4], "latent row");
            float v = pooled[j * D];
            assertTrue(v == 0 || Math.abs(v) == rows[j] + 1, "pooled row matches its image");
            out[j] = (int) Math.signum(v);
        }
        return out;
    }

    @Test
    void tagDropoutOneTrainsOnFirstTagsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch batch = new Batch(cache(), 3, 0.0, 1.0);
            for (long step = 1; step <= 4; step++) {
                int[] k = kinds(batch.make(m, step, 4), batch.rows(step, 4));
                assertArrayEquals(new int[] {-1, -1, -1, -1}, k);
            }
        }
    }

    @Test
    void tagDropoutZeroLeavesCaptionDropoutDrawsUnchanged() {
        try (NDManager m = NDManager.newBaseManager()) {
            LatentCache c = cache();
            LatentCache without = new LatentCache(fill(new long[] {N, 1, 2, 2}, 1), fill(new long[] {N, L, D}, 1),
                    fill(new long[] {N, L}, 1), fill(new long[] {N, D}, 1), new Tensor(new long[] {1, L, D}, new float[L * D]),
                    new Tensor(new long[] {1, L}, new float[L]), new Tensor(new long[] {1, D}, new float[D]), c.captions());
            Batch a = new Batch(c, 3, 0.5, 0.0);
            Batch b = new Batch(without, 3, 0.5, 0.7);
            for (long step = 1; step <= 6; step++) {
                int[] ka = kinds(a.make(m, step, 4), a.rows(step, 4));
                int[] kb = kinds(b.make(m, step, 4), b.rows(step, 4));
                assertArrayEquals(ka, kb, "no first-tag encodings: tag dropout has nothing to swap in");
                assertTrue(Arrays.stream(ka).allMatch(x -> x >= 0));
            }
        }
    }

    @Test
    void mixedDropoutIsAFunctionOfSeedAndStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] counts = new int[3];
            for (long step = 1; step <= 50; step++) {
                Batch one = new Batch(cache(), 9, 0.2, 0.4);
                Batch two = new Batch(cache(), 9, 0.2, 0.4);
                int[] k1 = kinds(one.make(m, step, 4), one.rows(step, 4));
                assertArrayEquals(k1, kinds(two.make(m, step, 4), two.rows(step, 4)));
                for (int k : k1) {
                    counts[k + 1]++;
                }
            }
            // 200 draws: about 64 first-tag (counts[0]), 40 empty (counts[1]), 96 full (counts[2])
            assertTrue(counts[0] > 20 && counts[1] > 15 && counts[2] > 40, Arrays.toString(counts));
        }
    }

    /** Two images sharing a table: image 0 has captions rows {0, 1, 2}, image 1 only row 3; row 4 empty. */
    static LatentCache variants() {
        int u = 5;
        CaptionTable table = new CaptionTable(fill(new long[] {u, L, D}, 1), fill(new long[] {u, L}, 1),
                fill(new long[] {u, D}, 1), List.of("fox, x", "a fox, x", "fox", "cat", ""), new int[] {2, 2, 2, 3, 4}, 4);
        float[] lat = {1, 1, 1, 1, 2, 2, 2, 2};
        return new LatentCache(new Tensor(new long[] {2, 1, 2, 2}, lat), table, new int[][] {{0, 1}, {3}});
    }

    @Test
    void alternativeCaptionsAreDrawnUniformlyAndReproducibly() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] seen = new int[5];
            for (long step = 1; step <= 200; step++) {
                Batch a = new Batch(variants(), 5, 0.0, 0.0);
                NDList b = a.make(m, step, 2);
                assertArrayEquals(b.get(3).toFloatArray(), new Batch(variants(), 5, 0.0, 0.0).make(m, step, 2)
                        .get(3).toFloatArray(), "a function of seed and step");
                float[] lat = b.get(0).toFloatArray();
                float[] pooled = b.get(3).toFloatArray();
                for (int j = 0; j < 2; j++) {
                    int row = (int) pooled[j * D] - 1;
                    seen[row]++;
                    assertEquals(lat[j * 4] == 1 ? 0 : 3, row == 1 ? 0 : row, "a caption of this image");
                }
            }
            // 200 draws of image 0: about 100 of each of its two captions; never its first tag (no tag dropout)
            assertTrue(seen[0] > 70 && seen[1] > 70, java.util.Arrays.toString(seen));
            assertEquals(0, seen[2] + seen[4]);
            assertEquals(200, seen[3]);
        }
    }

    @Test
    void tagDropoutShortensTheDrawnCaption() {
        try (NDManager m = NDManager.newBaseManager()) {
            Batch a = new Batch(variants(), 5, 0.0, 1.0);
            for (long step = 1; step <= 20; step++) {
                float[] pooled = a.make(m, step, 2).get(3).toFloatArray();
                for (int j = 0; j < 2; j++) {
                    assertTrue(pooled[j * D] == 3 || pooled[j * D] == 4, "first tag 'fox' (row 2) or 'cat' (row 3)");
                }
            }
        }
    }
}
