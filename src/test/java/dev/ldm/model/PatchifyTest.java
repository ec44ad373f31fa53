package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PatchifyTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void unpatchifyInvertsPatchifyExactly(int p) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = Rng.stream(1, "x").gaussian(2 * 3 * 8 * 8);
            NDArray x = m.create(v, new Shape(2, 3, 8, 8));
            NDArray tokens = Patchify.patchify(x, p);
            assertEquals(new Shape(2, (8 / p) * (8 / p), p * p * 3), tokens.getShape());
            NDArray back = Patchify.unpatchify(tokens, p, 3, 8 / p, 8 / p);
            assertEquals(x.getShape(), back.getShape());
            assertArrayEquals(v, back.toFloatArray());
        }
    }

    @Test
    void tokenHoldsItsPatchInRowColumnChannelOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            // x[0, c, h, w] = 100c + 10h + w on a 2-channel 4×4 image, patch 2.
            float[] v = new float[2 * 4 * 4];
            for (int c = 0; c < 2; c++) {
                for (int h = 0; h < 4; h++) {
                    for (int w = 0; w < 4; w++) {
                        v[(c * 4 + h) * 4 + w] = 100 * c + 10 * h + w;
                    }
                }
            }
            NDArray tokens = Patchify.patchify(m.create(v, new Shape(1, 2, 4, 4)), 2);
            // Token 1 is patch row 0, column 1: pixels (0,2) (0,3) (1,2) (1,3), channels interleaved.
            float[] expected = {2, 102, 3, 103, 12, 112, 13, 113};
            assertArrayEquals(expected, tokens.get(0, 1).toFloatArray());
        }
    }

    @Test
    void sidesNotDivisibleByThePatchAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 1, 6, 6));
            assertThrows(IllegalArgumentException.class, () -> Patchify.patchify(x, 4));
            NDArray tokens = m.zeros(new Shape(1, 4, 5));
            assertThrows(IllegalArgumentException.class, () -> Patchify.unpatchify(tokens, 2, 1, 2, 2));
        }
    }
}
