package dev.ldm.flow;

import dev.ldm.io.Tensor;
import java.util.List;

/**
 * The directions in the space of latent channels along which an autoencoder moves a latent when only
 * the colours of the image change. A hue rotation keeps an image's shapes and brightness and moves its
 * latent mostly within a few such directions (measured by {@code ldm vae colour-plane}: the leading
 * eigenvectors of the second moment of latent differences between images and their hue-rotated copies,
 * {@code eval.ColourPlaneMeasure}).
 * The draft anchor can keep the draft's layout outside this plane and leave the plane, the colour, to
 * the model that redraws ({@code --draft-colour free}).
 *
 * @param directions orthonormal vectors of the latent's channel count, at least one and fewer than it
 */
public record ColourPlane(double[][] directions) {
    private static final double ORTHONORMAL = 1e-6;

    public ColourPlane {
        if (directions == null || directions.length == 0) {
            throw new IllegalArgumentException("a colour plane needs at least one direction");
        }
        int c = directions[0].length;
        if (directions.length >= c) {
            throw new IllegalArgumentException("a colour plane of " + directions.length + " directions in " + c
                    + " channels leaves nothing to keep");
        }
        for (int i = 0; i < directions.length; i++) {
            if (directions[i].length != c) {
                throw new IllegalArgumentException("direction " + i + " has " + directions[i].length
                        + " values, direction 0 has " + c);
            }
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int k = 0; k < c; k++) {
                    dot += directions[i][k] * directions[j][k];
                }
                if (!(Math.abs(dot - (i == j ? 1 : 0)) <= ORTHONORMAL)) {
                    throw new IllegalArgumentException("the directions are not orthonormal: direction " + i
                            + " · direction " + j + " = " + dot);
                }
            }
        }
        directions = copy(directions);
    }

    /** From model.json's lists. */
    public static ColourPlane of(List<List<Double>> rows) {
        double[][] d = new double[rows.size()][];
        for (int i = 0; i < d.length; i++) {
            d[i] = rows.get(i).stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new ColourPlane(d);
    }

    public int channels() {
        return directions[0].length;
    }

    /** The lists model.json stores. */
    public List<List<Double>> rows() {
        return java.util.Arrays.stream(directions)
                .map(r -> java.util.Arrays.stream(r).boxed().toList()).toList();
    }

    /**
     * x [B, C, h, w] without its part in the plane: every cell's channel vector minus its projection,
     * x − Σ_d (d·x) d. A projection: applying it twice gives the same tensor.
     */
    public Tensor remove(Tensor x) {
        long[] s = x.shape();
        int c = channels();
        if (s.length != 4 || s[1] != c) {
            throw new IllegalArgumentException("a colour plane of " + c + " channels cannot act on "
                    + x.shapeString());
        }
        int b = (int) s[0];
        int hw = (int) (s[2] * s[3]);
        float[] in = x.data();
        float[] out = in.clone();
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < hw; i++) {
                for (double[] d : directions) {
                    double dot = 0;
                    for (int ch = 0; ch < c; ch++) {
                        dot += d[ch] * in[(n * c + ch) * hw + i];
                    }
                    for (int ch = 0; ch < c; ch++) {
                        out[(n * c + ch) * hw + i] -= (float) (dot * d[ch]);
                    }
                }
            }
        }
        return new Tensor(s.clone(), out);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public double[][] directions() {
        return copy(directions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColourPlane p && java.util.Arrays.deepEquals(directions, p.directions);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(directions);
    }
}
