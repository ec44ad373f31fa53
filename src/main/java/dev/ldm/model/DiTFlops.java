package dev.ldm.model;

/**
 * Analytic floating-point operation count of the DiT, for throughput figures (GFLOP/s).
 *
 * <p>Convention: every matrix product of an [m, k] by a [k, n] matrix counts 2·m·n·k (one multiply
 * and one add per term), including the attention score (q·kᵀ) and value (softmax·v) products;
 * biases, normalisations, activations, softmax and other element-wise work are not counted. A
 * training step counts three forward passes (the backward pass costs about twice the forward: one
 * product for the input gradient and one for the weight gradient per forward product).
 */
public final class DiTFlops {
    /** Forward-pass multiple of a training step (forward + backward). */
    public static final int TRAIN_MULTIPLE = 3;

    private DiTFlops() {}

    /** FLOPs of one forward pass of {@code batch} samples, with {@code config.textLength()} text tokens. */
    public static long forward(DiTConfig config, long batch) {
        long t = config.tokens(), d = config.hidden(), l = config.textLength(), e = config.textDim();
        long embed = linear(t, config.patchDim(), d)
                + linear(1, TimestepEmbedder.FREQUENCY_DIM, d) + linear(1, d, d)   // timestep MLP
                + linear(1, e, d) + linear(1, d, d)                               // pooled-text MLP
                + linear(l, e, d);                                                // context projection
        long head = linear(1, d, 2 * d) + linear(t, d, config.patchDim());
        return batch * (embed + config.depth() * block(config) + head);
    }

    /** FLOPs of one training step (forward and backward) of {@code batch} samples. */
    public static long trainingStep(DiTConfig config, long batch) {
        return TRAIN_MULTIPLE * forward(config, batch);
    }

    /** One block, one sample. */
    static long block(DiTConfig config) {
        long t = config.tokens(), d = config.hidden(), l = config.textLength();
        long modulation = linear(1, d, 6 * d);
        long self = linear(t, d, 3 * d) + 2 * (2 * t * t * d) + linear(t, d, d);
        long cross = linear(t, d, d) + linear(l, d, 2 * d) + 2 * (2 * t * l * d) + linear(t, d, d);
        long mlp = linear(t, d, config.mlpHidden()) + linear(t, config.mlpHidden(), d);
        return modulation + self + cross + mlp;
    }

    /** A Linear from {@code in} to {@code out} features applied to {@code rows} vectors. */
    private static long linear(long rows, long in, long out) {
        return 2 * rows * in * out;
    }
}
