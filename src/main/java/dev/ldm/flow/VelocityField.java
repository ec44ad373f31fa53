package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;

/**
 * A velocity v(x, t) ≈ E[ε − x_0 | x_t = x] for the whole batch at one time t: a trained network
 * with its conditioning bound, a guidance wrapper, or an exact formula in tests. Samplers know
 * nothing else about the model.
 *
 * <p>Samplers work on host tensors, so sampling needs no engine: a network run by ONNX Runtime
 * takes and gives host tensors, and a network on engine arrays is wrapped by {@link #onEngine}.
 * The returned tensor must have the shape of {@code x} and must not be {@code x} itself.
 */
@FunctionalInterface
public interface VelocityField {
    /** x [B, ...] at time t → v [B, ...]. */
    Tensor velocity(Tensor x, float t);

    /** A field computed on engine arrays, {@link #onEngine} turns into a host field. */
    @FunctionalInterface
    interface OnEngine {
        /** x [B, ...] (an array of the given manager) at time t → v [B, ...]. */
        NDArray velocity(NDArray x, float t);
    }

    /**
     * A field whose network runs on engine arrays: each call copies x into a sub-manager of
     * {@code manager}, calls {@code field} and copies the velocity back; every array of the call is
     * closed before it returns.
     */
    static VelocityField onEngine(NDManager manager, OnEngine field) {
        return (x, t) -> {
            try (NDManager call = manager.newSubManager()) {
                NDArray v = field.velocity(call.create(x.data(), new Shape(x.shape())), t);
                return new Tensor(v.getShape().getShape(), v.toType(DataType.FLOAT32, false).toFloatArray());
            }
        };
    }
}
