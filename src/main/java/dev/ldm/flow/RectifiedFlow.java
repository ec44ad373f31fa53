package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import java.util.Arrays;

/**
 * The rectified-flow convention, written once: every loss and every sampler in ldm calls this
 * class instead of spelling the formulas again (DESIGN.md, "Time, noise and velocity").
 *
 * <ul>
 *   <li>t ∈ [0, 1]; t = 0 is data, t = 1 is pure noise.
 *   <li>forward path x_t = (1 − t)·x_0 + t·ε, ε ~ N(0, I);
 *   <li>velocity v = dx_t/dt = ε − x_0 (the training target);
 *   <li>given x_t and a velocity v: x̂_0 = x_t − t·v, ε̂ = x_t + (1 − t)·v;
 *   <li>score of the Gaussian path: ∇log p_t(x_t) = −ε̂ / t.
 * </ul>
 *
 * <p>Shapes: x_0, ε, x_t, v are [B, ...] (any rank ≥ 1); a per-sample time t is [B] and is broadcast
 * over every dimension but the batch. Training works on engine arrays with per-sample times; the
 * scalar-t overloads serve samplers, which move the whole batch at one time on host tensors
 * ({@link Tensor}, one float rounding per operation).
 */
public final class RectifiedFlow {
    private RectifiedFlow() {}

    /** t [B] → [B, 1, ..., 1] with the rank of {@code like} and its data type, for broadcasting. */
    public static NDArray broadcastTime(NDArray t, NDArray like) {
        Shape s = like.getShape();
        if (t.getShape().dimension() != 1 || t.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException("time must be [B] = [" + s.get(0) + "], got " + t.getShape());
        }
        long[] shape = new long[s.dimension()];
        Arrays.fill(shape, 1);
        shape[0] = s.get(0);
        NDArray r = t.reshape(shape);
        return r.getDataType() == like.getDataType() ? r : r.toType(like.getDataType(), false);
    }

    /** x_t = (1 − t)·x_0 + t·ε with per-sample t [B]. */
    public static NDArray interpolate(NDArray x0, NDArray eps, NDArray t) {
        checkSameShape(x0, eps, "interpolate");
        NDArray tb = broadcastTime(t, x0);             // [B, 1, ...]
        return x0.mul(oneMinus(tb)).add(eps.mul(tb)); // [B, ...]
    }

    /** x_t = (1 − t)·x_0 + t·ε with one t for the batch. */
    public static Tensor interpolate(Tensor x0, Tensor eps, float t) {
        checkSameShape(x0, eps, "interpolate");
        return x0.mul(1f - t).add(eps.mul(t));
    }

    /** The training target v = ε − x_0 (the constant velocity of the straight path). */
    public static NDArray velocityTarget(NDArray x0, NDArray eps) {
        checkSameShape(x0, eps, "velocityTarget");
        return eps.sub(x0);
    }

    /** x̂_0 = x_t − t·v: where the current velocity lands at t = 0. */
    public static Tensor predictX0(Tensor xt, Tensor v, float t) {
        checkSameShape(xt, v, "predictX0");
        return xt.sub(v.mul(t));
    }

    /** x̂_0 = x_t − t·v with per-sample t [B]. */
    public static NDArray predictX0(NDArray xt, NDArray v, NDArray t) {
        checkSameShape(xt, v, "predictX0");
        return xt.sub(v.mul(broadcastTime(t, xt)));
    }

    /** ε̂ = x_t + (1 − t)·v: where the current velocity lands at t = 1. */
    public static Tensor predictEps(Tensor xt, Tensor v, float t) {
        checkSameShape(xt, v, "predictEps");
        return xt.add(v.mul(1f - t));
    }

    /** ε̂ = x_t + (1 − t)·v with per-sample t [B]. */
    public static NDArray predictEps(NDArray xt, NDArray v, NDArray t) {
        checkSameShape(xt, v, "predictEps");
        return xt.add(v.mul(oneMinus(broadcastTime(t, xt))));
    }

    /**
     * ∇log p_t(x_t) = −ε̂ / t. Since x_t given x_0 is N((1 − t)·x_0, t²·I), Tweedie's formula gives
     * the marginal score as −E[ε | x_t] / t, and ε̂ is that expectation when v = E[ε − x_0 | x_t].
     * Undefined at t = 0 (the data distribution has no smooth density there).
     */
    public static Tensor score(Tensor xt, Tensor v, float t) {
        if (!(t > 0f && t <= 1f)) {
            throw new IllegalArgumentException("score needs t in (0, 1], got " + t);
        }
        return predictEps(xt, v, t).div(-t);
    }

    /** The training loss: mean squared error over every element (a scalar NDArray). */
    public static NDArray loss(NDArray prediction, NDArray target) {
        checkSameShape(prediction, target, "loss");
        return prediction.sub(target).square().mean();
    }

    /**
     * Mean squared error per sample, [B]: for loss-by-timestep bins (minRF's diagnostic). Its mean
     * equals {@link #loss} because every sample has the same number of elements.
     */
    public static NDArray perSampleLoss(NDArray prediction, NDArray target) {
        checkSameShape(prediction, target, "perSampleLoss");
        long b = prediction.getShape().get(0);
        return prediction.sub(target).square().reshape(b, -1).mean(new int[] {1}); // [B]
    }

    private static NDArray oneMinus(NDArray t) {
        return t.neg().add(1f);
    }

    private static void checkSameShape(Tensor a, Tensor b, String what) {
        if (!Arrays.equals(a.shape(), b.shape()) || a.shape().length < 1) {
            throw new IllegalArgumentException(what + ": shapes " + a.shapeString() + " and " + b.shapeString()
                    + " must be equal and have a batch dimension");
        }
    }

    private static void checkSameShape(NDArray a, NDArray b, String what) {
        if (!a.getShape().equals(b.getShape()) || a.getShape().dimension() < 1) {
            throw new IllegalArgumentException(what + ": shapes " + a.getShape() + " and " + b.getShape()
                    + " must be equal and have a batch dimension");
        }
    }
}
