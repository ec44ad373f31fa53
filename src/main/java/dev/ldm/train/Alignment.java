package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;

/**
 * Representation alignment (REPA, Yu et al. 2024): an extra loss that pulls the hidden tokens of an
 * early DiT block, through a trained {@link AlignProjector}, towards a frozen encoder's features of
 * the clean image, token by token. ldm's encoder is its own judge (the last feature map of the CNN
 * classifier); the loss is the negative mean cosine similarity, and a run minimises
 * flow + weight · align.
 *
 * @param settings what the checkpoint records (a resume must match it)
 * @param targets [N, T, W]: for every cached image, in cache order, the encoder's feature of each of
 *     the DiT's T tokens
 */
public record Alignment(Settings settings, Tensor targets) {
    /** Added to each squared norm before its square root, so a zero vector has a finite gradient. */
    public static final float EPS = 1e-6f;

    /**
     * @param judge identity of the judge (SHA-256 of its weights and architecture)
     * @param weight the weight of the alignment term
     * @param depth the block (1-based) whose output is aligned
     */
    public record Settings(String judge, double weight, int depth) {
        public Settings {
            if (!(Double.isFinite(weight) && weight > 0 && weight <= 100)) {
                throw LdmException.badInput("--align-weight must be in (0, 100], not " + weight);
            }
            if (depth < 1) {
                throw LdmException.badInput("--align-depth must be at least 1, not " + depth);
            }
        }

        /** For messages: {@code judge 82c0b200f1bb, --align-weight 0.5, --align-depth 2}. */
        public String describe() {
            return "judge " + judge.substring(0, Math.min(12, judge.length())) + ", --align-weight " + weight
                    + ", --align-depth " + depth;
        }
    }

    public Alignment {
        if (targets.shape().length != 3) {
            throw new IllegalArgumentException("alignment targets must be [N, T, W], not " + targets.shapeString());
        }
    }

    /** Feature width W. */
    public int width() {
        return (int) targets.shape()[2];
    }

    /**
     * The alignment term: −mean over batch and tokens of cos(projected, target), each vector
     * divided by sqrt(|v|² + {@link #EPS}²).
     *
     * @param projected [B, T, W] the projector's output
     * @param target [B, T, W] the encoder's features
     * @return [] in [−1, 1]
     */
    public static NDArray loss(NDArray projected, NDArray target) {
        NDManager m = projected.getManager();
        NDArray eps2 = Nd.scalar(m, EPS * EPS);
        NDArray p = projected.div(projected.square().sum(new int[] {2}, true).add(eps2).sqrt()); // [B, T, W]
        NDArray f = target.div(target.square().sum(new int[] {2}, true).add(eps2).sqrt());       // [B, T, W]
        return p.mul(f).sum(new int[] {2}).mean().neg();                                         // []
    }

    /** Refuses, as one line, an {@code --align-depth} that names no block of a DiT of {@code modelDepth} blocks. */
    public static void checkDepth(int depth, int modelDepth) {
        if (depth < 1 || depth > modelDepth) {
            throw LdmException.badInput("--align-depth must be between 1 and the DiT's depth " + modelDepth
                    + ", not " + depth);
        }
    }

    /**
     * Refuses, as one line, an encoder map of side {@code side} that cannot serve a DiT token grid of
     * side {@code grid}: the sides must be equal, or the map's a multiple of the grid's (then it is
     * average-pooled).
     */
    public static void checkGrids(int side, int grid, String judge) {
        if (side != grid && (side < grid || side % grid != 0)) {
            throw LdmException.badInput("--align " + judge + ": the judge's feature map is " + side + "x" + side
                    + " but the DiT's token grid is " + grid + "x" + grid + " (the map's side must equal the grid's "
                    + "or be a multiple of it)");
        }
    }

    /**
     * The targets standardised per channel: each of the W features minus its mean over every token of
     * every image, divided by its standard deviation (1 where that is below 1e-6). The judge's
     * features share a large common direction (the data set's mean feature alone has a cosine of
     * about 0.73 with them), which a projector could match without looking at the image;
     * standardised, only what tells images and positions apart is left to align with.
     *
     * @param tokens [N, T, W]
     * @return [N, T, W]
     */
    public static Tensor standardise(Tensor tokens) {
        int w = (int) tokens.shape()[2];
        float[] in = tokens.data();
        int rows = in.length / w;
        double[] mean = new double[w];
        double[] sq = new double[w];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < w; c++) {
                mean[c] += in[r * w + c];
            }
        }
        for (int c = 0; c < w; c++) {
            mean[c] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < w; c++) {
                double d = in[r * w + c] - mean[c];
                sq[c] += d * d;
            }
        }
        float[] out = new float[in.length];
        for (int c = 0; c < w; c++) {
            double std = Math.sqrt(sq[c] / rows);
            double scale = std < 1e-6 ? 1 : 1 / std;
            for (int r = 0; r < rows; r++) {
                out[r * w + c] = (float) ((in[r * w + c] - mean[c]) * scale);
            }
        }
        return new Tensor(tokens.shape().clone(), out);
    }

    /**
     * Tokens of a side × side map average-pooled to a grid × grid map (side a multiple of grid).
     *
     * @param tokens [N, side·side, W], positions row-major
     * @return [N, grid·grid, W]
     */
    public static Tensor poolToGrid(Tensor tokens, int side, int grid) {
        if (side == grid) {
            return tokens;
        }
        int n = (int) tokens.shape()[0];
        int w = (int) tokens.shape()[2];
        int k = side / grid;
        float[] in = tokens.data();
        float[] out = new float[n * grid * grid * w];
        for (int i = 0; i < n; i++) {
            for (int gy = 0; gy < grid; gy++) {
                for (int gx = 0; gx < grid; gx++) {
                    int o = ((i * grid + gy) * grid + gx) * w;
                    for (int c = 0; c < w; c++) {
                        double sum = 0;
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                sum += in[((i * side + gy * k + dy) * side + gx * k + dx) * w + c];
                            }
                        }
                        out[o + c] = (float) (sum / (k * k));
                    }
                }
            }
        }
        return new Tensor(new long[] {n, (long) grid * grid, w}, out);
    }
}
