package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiTFlopsTest {
    /**
     * Hand count for side 4, 2 channels, patch 2 (T = 4 tokens of 8 values), D = 8, 1 block, 2 heads,
     * MLP 16, text width E = 6, L = 3 tokens; 2·m·n·k per product.
     */
    @Test
    void matchesAHandCount() {
        DiTConfig c = new DiTConfig(4, 2, 2, 8, 1, 2, 2.0, 6, 3);
        long embed = 2 * 4 * 8 * 8            // patch embedding: 4 tokens, 8 → 8
                + 2 * 256 * 8 + 2 * 8 * 8     // timestep MLP: 256 → 8 → 8
                + 2 * 6 * 8 + 2 * 8 * 8       // pooled text MLP: 6 → 8 → 8
                + 2 * 3 * 6 * 8;              // context projection: 3 tokens, 6 → 8
        long block = 2 * 8 * 48               // adaLN: 8 → 6·8
                + 2 * 4 * 8 * 24              // fused qkv
                + 2 * (2 * 4 * 4 * 4) * 2     // scores and values: 2 heads × [4×4]·[4×4], twice
                + 2 * 4 * 8 * 8               // attention output projection
                + 2 * 4 * 8 * 8               // cross q
                + 2 * 3 * 8 * 16              // cross kv (3 text tokens)
                + 2 * (2 * 4 * 3 * 4) * 2     // cross scores and values: 2 heads × [4×4]·[4×3]
                + 2 * 4 * 8 * 8               // cross output projection
                + 2 * 4 * 8 * 16 * 2;         // MLP 8 → 16 → 8
        long last = 2 * 8 * 16 + 2 * 4 * 8 * 8; // final adaLN (shift, scale) and linear to 8 values
        assertEquals(13568, embed + block + last);
        assertEquals(13568, DiTFlops.forward(c, 1));
        assertEquals(2 * 13568, DiTFlops.forward(c, 2));
        assertEquals(3 * 2 * 13568, DiTFlops.trainingStep(c, 2));
    }

    @Test
    void growsWithDepthByOneBlockEach() {
        DiTConfig one = new DiTConfig(8, 4, 1, 64, 1, 4, 4.0, 384, 16);
        DiTConfig three = new DiTConfig(8, 4, 1, 64, 3, 4, 4.0, 384, 16);
        assertEquals(2 * DiTFlops.block(one), DiTFlops.forward(three, 1) - DiTFlops.forward(one, 1));
    }
}
