package dev.ldm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/** Small NDArray helpers shared by every network: host conversions and seeded initialisers. */
public final class Nd {
    private Nd() {}

    public static Tensor toTensor(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        Tensor t = new Tensor(a.getShape().getShape(), f.toFloatArray());
        if (f != a) {
            f.close();
        }
        return t;
    }

    public static NDArray fromTensor(NDManager m, Tensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }

    /** Normal(0, std²) values from ldm's own generator (not the engine's). */
    public static NDArray normal(NDManager m, Rng rng, double std, long... shape) {
        float[] v = rng.gaussian(Math.toIntExact(Tensor.numel(shape)));
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) std;
        }
        return m.create(v, new Shape(shape));
    }

    /** Uniform(-bound, bound) values from ldm's own generator. */
    public static NDArray uniform(NDManager m, Rng rng, double bound, long... shape) {
        return m.create(rng.uniform(Math.toIntExact(Tensor.numel(shape)), -bound, bound), new Shape(shape));
    }

    /** Xavier/Glorot uniform for a [fanOut, fanIn, ...] weight. */
    public static NDArray xavier(NDManager m, Rng rng, long... shape) {
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        double fanOut = shape[0] * receptive;
        double fanIn = shape[1] * receptive;
        return uniform(m, rng, Math.sqrt(6.0 / (fanIn + fanOut)), shape);
    }

    /**
     * A scalar tensor in engine-owned memory. Multiply anything that needs a gradient by this, never
     * by a Java number: DJL 0.35 wraps {@code mul(float)}'s number in a tensor over a Java direct
     * buffer that can be freed before autograd's backward pass reads it (wrong gradients).
     */
    public static NDArray scalar(NDManager m, float v) {
        return m.full(new Shape(), v);
    }

    /**
     * Copies host values into an existing array in place. Arrays that need no gradient are written
     * through an index assignment into their own storage (PyTorch's {@code set} path prints a
     * deprecation warning on every run and re-points the array at a Java buffer); leaves that
     * require a gradient, and scalars, use {@code set(Buffer)}.
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("assign: " + values.length + " values for " + target.getShape());
        }
        if (target.hasGradient() || target.getShape().dimension() == 0) {
            if (target.getDataType() == DataType.FLOAT32) {
                target.set(java.nio.FloatBuffer.wrap(values));
            } else {
                try (NDArray src = target.getManager().create(values, target.getShape())) {
                    try (NDArray cast = src.toType(target.getDataType(), false)) {
                        target.set(cast.toByteBuffer());
                    }
                }
            }
            return;
        }
        try (NDArray src = target.getManager().create(values, target.getShape())) {
            if (target.getDataType() == DataType.FLOAT32) {
                target.set(new ai.djl.ndarray.index.NDIndex(":"), src);
            } else {
                try (NDArray cast = src.toType(target.getDataType(), false)) {
                    target.set(new ai.djl.ndarray.index.NDIndex(":"), cast);
                }
            }
        }
    }

    /** SiLU (swish): x·sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }
}
