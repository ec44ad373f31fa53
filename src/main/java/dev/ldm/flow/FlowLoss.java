package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import java.util.function.BiFunction;

/**
 * The rectified-flow training objective, as minRF writes it: given data x_0, times t and noise ε,
 * move x_0 to x_t = (1 − t)·x_0 + t·ε, ask the model for the velocity there, and regress it onto
 * v = ε − x_0 by mean squared error. The model is any function (x_t, t) → v̂; the flow knows no
 * network.
 *
 * @param mean the loss to differentiate: the mean over the batch, []
 * @param perSample each sample's mean squared error, [B] (for the loss-by-timestep diagnostic)
 */
public record FlowLoss(NDArray mean, NDArray perSample) {
    /** x_0 and ε [B, C, h, w], t [B]; {@code model} maps (x_t [B, C, h, w], t [B]) to v̂ [B, C, h, w]. */
    public static FlowLoss of(NDArray x0, NDArray t, NDArray eps, BiFunction<NDArray, NDArray, NDArray> model) {
        NDArray xt = RectifiedFlow.interpolate(x0, eps, t);             // [B, C, h, w]
        NDArray target = RectifiedFlow.velocityTarget(x0, eps);         // [B, C, h, w]
        NDArray perSample = RectifiedFlow.perSampleLoss(model.apply(xt, t), target); // [B]
        return new FlowLoss(perSample.mean(), perSample);
    }
}
