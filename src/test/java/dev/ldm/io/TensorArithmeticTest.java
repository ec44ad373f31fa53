package dev.ldm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.util.Rng;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The host tensor's arithmetic rounds exactly as PyTorch's float32 kernels do, value for value:
 * samplers moved from engine arrays to host tensors and must give the same bits.
 */
class TensorArithmeticTest {
    /** 70,000 values (above PyTorch's grain for splitting element-wise work across threads), with edge cases. */
    private static float[] values(long seed) {
        float[] v = new Rng(seed).gaussian(70_000);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-38f, 3.4e38f, -3.4e38f,
            1f, -1f, 0.1f, 1f / 3, Float.MAX_VALUE, 65504f, 1e-30f};
        System.arraycopy(special, 0, v, 0, special.length);
        Rng rng = new Rng(seed + 100);
        for (int i = special.length; i < v.length; i += 7) {
            v[i] *= (float) Math.pow(10, rng.nextInt(60) - 30); // magnitudes from 1e-30 to 1e29
        }
        return v;
    }

    /** Bit patterns, every NaN as one (no sampler meets a NaN; its payload is not what is compared). */
    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToIntBits(a[i]);
        }
        return b;
    }

    private static void same(String what, float[] engine, float[] host) {
        assertArrayEquals(bits(engine), bits(host), what);
    }

    @Test
    void everyOperationRoundsAsPyTorchsFloat32Kernel() {
        float[] a = values(1);
        float[] b = values(2);
        Shape shape = new Shape(2, 5, 7000);
        Tensor ta = new Tensor(shape.getShape(), a);
        Tensor tb = new Tensor(shape.getShape(), b);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray na = m.create(a, shape);
            NDArray nb = m.create(b, shape);
            same("add", na.add(nb).toFloatArray(), ta.add(tb).data());
            same("sub", na.sub(nb).toFloatArray(), ta.sub(tb).data());
            for (float s : new float[] {0.5f, -0.033333335f, 3.5f, 1f / 30, -7.25e-3f, 1e-20f, 2e20f}) {
                same("mul " + s, na.mul(s).toFloatArray(), ta.mul(s).data());
                same("div " + s, na.div(s).toFloatArray(), ta.div(s).data());
            }
            // a sampler's step, as one expression
            BiFunction<NDArray, NDArray, NDArray> engineStep = (x, v) -> x.sub(v.mul(0.0333f)).add(v.div(-0.7f));
            same("step", engineStep.apply(na, nb).toFloatArray(), ta.sub(tb.mul(0.0333f)).add(tb.div(-0.7f)).data());
        }
    }

    @Test
    void operandsAreLeftAsTheyWereAndShapesMustAgree() {
        Tensor a = new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Tensor b = new Tensor(new long[] {2, 3}, new float[] {6, 5, 4, 3, 2, 1});
        Tensor sum = a.add(b);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, sum.data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.data());
        assertArrayEquals(new long[] {2, 3}, sum.shape());
        assertThrows(IllegalArgumentException.class, () -> a.add(new Tensor(new long[] {3, 2}, b.data())));
        assertThrows(IllegalArgumentException.class, () -> a.sub(new Tensor(new long[] {6}, b.data())));
    }

    @Test
    void sliceTakesRowsOfTheFirstDimension() {
        Tensor t = new Tensor(new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(new Tensor(new long[] {2, 2}, new float[] {3, 4, 5, 6}), t.slice(1, 3));
        assertEquals(new Tensor(new long[] {0, 2}, new float[0]), t.slice(2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(2, 1));
    }
}
