package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The 2D position table against DiT's formula written out here, and the identities of its
 * interpolation to other grids: a grid twice as fine repeats the trained positions at every
 * other token, one half as fine takes every other trained position.
 */
class SinCosTest {
    private static final int DIM = 16;

    /** DiT's {@code get_2d_sincos_pos_embed} for integer positions, written independently. */
    private static float[] reference(int dim, int grid) {
        int q = dim / 4;
        float[] out = new float[grid * grid * dim];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                for (int i = 0; i < q; i++) {
                    double omega = 1.0 / Math.pow(10000.0, (double) i / q);
                    int t = (r * grid + c) * dim;
                    out[t + i] = (float) Math.sin(c * omega);
                    out[t + q + i] = (float) Math.cos(c * omega);
                    out[t + 2 * q + i] = (float) Math.sin(r * omega);
                    out[t + 3 * q + i] = (float) Math.cos(r * omega);
                }
            }
        }
        return out;
    }

    private static float[] token(float[] table, int grid, int r, int c) {
        int t = (r * grid + c) * DIM;
        return Arrays.copyOfRange(table, t, t + DIM);
    }

    @Test
    void theTrainedGridIsDiTsTableBitForBit() {
        for (int grid : new int[] {1, 4, 8, 16}) {
            assertArrayEquals(reference(DIM, grid), SinCos.positions2d(DIM, grid));
            assertArrayEquals(reference(DIM, grid), SinCos.positions2d(DIM, grid, grid));
        }
    }

    @Test
    void aFinerGridRepeatsTheTrainedPositionsAtEveryOtherToken() {
        int trained = 8;
        float[] own = SinCos.positions2d(DIM, trained);
        float[] fine = SinCos.positions2d(DIM, 2 * trained, trained);
        for (int r = 0; r < trained; r++) {
            for (int c = 0; c < trained; c++) {
                assertArrayEquals(token(own, trained, r, c), token(fine, 2 * trained, 2 * r, 2 * c));
            }
        }
        assertEquals((float) Math.sin(0.5), fine[DIM]);          // token (0, 1): column position 0.5
        assertEquals((float) Math.sin(0.5), fine[2 * trained * DIM + DIM / 2]); // token (1, 0): row 0.5
    }

    @Test
    void aCoarserGridTakesEveryOtherTrainedPosition() {
        int trained = 8;
        float[] own = SinCos.positions2d(DIM, trained);
        float[] coarse = SinCos.positions2d(DIM, trained / 2, trained);
        for (int r = 0; r < trained / 2; r++) {
            for (int c = 0; c < trained / 2; c++) {
                assertArrayEquals(token(own, trained, 2 * r, 2 * c), token(coarse, trained / 2, r, c));
            }
        }
    }

    @Test
    void widthsThatAreNotMultiplesOfFourAndEmptyGridsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SinCos.positions2d(6, 4));
        assertThrows(IllegalArgumentException.class, () -> SinCos.positions2d(DIM, 0, 4));
    }
}
