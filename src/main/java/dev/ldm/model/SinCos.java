package dev.ldm.model;

/**
 * The fixed (not learned) sine-cosine tables of DiT: the timestep frequency embedding and the 2D
 * patch position embedding. Computed on the host once, when a model is built.
 */
public final class SinCos {
    /** Longest period of the frequency tables, as in DiT and the original Transformer. */
    public static final double MAX_PERIOD = 10000.0;

    private SinCos() {}

    /** The {@code half} frequencies exp(-ln(MAX_PERIOD)·i/half), i = 0..half-1, of DiT's timestep embedding. */
    public static float[] frequencies(int half) {
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            f[i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / half);
        }
        return f;
    }

    /**
     * DiT's {@code get_2d_sincos_pos_embed} for a {@code grid}×{@code grid} patch grid: [T, dim] in
     * row-major token order; for the token in row r, column c the first half of the channels
     * encodes c and the second half r, each as [sin(pos·ω), cos(pos·ω)] with ω_i = MAX_PERIOD^(-i/(dim/4)).
     */
    public static float[] positions2d(int dim, int grid) {
        return positions2d(dim, grid, grid);
    }

    /**
     * {@link #positions2d(int, int)} for a model trained on a {@code trainedGrid}×{@code trainedGrid}
     * grid, drawn on a {@code grid}×{@code grid} one: positions are interpolated, token i at
     * i·trainedGrid/grid, so that the grid spans the positions the model saw in training (PixArt-α's
     * {@code get_2d_sincos_pos_embed} with {@code base_size}). With equal grids every position is the
     * integer i and the table is {@link #positions2d(int, int)}'s, bit for bit.
     */
    public static float[] positions2d(int dim, int grid, int trainedGrid) {
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("2D position embedding needs a width divisible by 4, got " + dim);
        }
        if (grid <= 0 || trainedGrid <= 0) {
            throw new IllegalArgumentException("2D position embedding needs positive grids, got " + grid
                    + " and " + trainedGrid);
        }
        int quarter = dim / 4;
        float[] out = new float[grid * grid * dim];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int base = (r * grid + c) * dim;
                fill1d(out, base, quarter, position(c, grid, trainedGrid));
                fill1d(out, base + 2 * quarter, quarter, position(r, grid, trainedGrid));
            }
        }
        return out;
    }

    /** i·trained/grid; exactly i when the grids are equal. */
    static double position(int i, int grid, int trainedGrid) {
        return grid == trainedGrid ? i : (double) i * trainedGrid / grid;
    }

    private static void fill1d(float[] out, int base, int quarter, double pos) {
        for (int i = 0; i < quarter; i++) {
            double omega = 1.0 / Math.pow(MAX_PERIOD, (double) i / quarter);
            out[base + i] = (float) Math.sin(pos * omega);
            out[base + quarter + i] = (float) Math.cos(pos * omega);
        }
    }
}
