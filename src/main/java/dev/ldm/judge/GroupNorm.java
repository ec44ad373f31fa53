package dev.ldm.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.nn.Module;

/**
 * Group normalisation (Wu & He 2018) with a per-channel scale and bias: each image's channels are
 * split into groups, and each group is normalised to zero mean and unit variance over its channels
 * and pixels. Unlike batch normalisation it has no running statistics, so training and inference
 * compute the same function and the state is just two parameters. Measured: without it the judge
 * reached 80% on three shapes after 250 steps where with it it reached 100% by step 110.
 */
final class GroupNorm extends Module {
    private static final float EPS = 1e-5f;

    private final NDArray gamma;
    private final NDArray beta;
    private final int groups;

    /** The largest group count up to 8 that divides {@code channels}. */
    GroupNorm(NDManager m, int channels) {
        int g = Math.min(8, channels);
        while (channels % g != 0) {
            g--;
        }
        this.groups = g;
        this.gamma = param("weight", m.ones(new Shape(channels)));
        this.beta = param("bias", m.zeros(new Shape(channels)));
    }

    /** x [B, C, H, W] → [B, C, H, W]. */
    NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long c = s.get(1);
        NDArray g = x.reshape(s.get(0), groups, -1);                // [B, G, C/G·H·W]
        NDArray centred = g.sub(g.mean(new int[] {2}, true));       // [B, G, n]
        NDArray var = centred.square().mean(new int[] {2}, true);   // [B, G, 1]
        NDArray y = centred.div(var.add(EPS).sqrt()).reshape(s);    // [B, C, H, W]
        return y.mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1));
    }
}
