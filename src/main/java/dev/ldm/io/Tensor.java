package dev.ldm.io;

import java.util.Arrays;
import java.util.List;

/**
 * A named-free host tensor: float data in row-major order with its shape. ldm's exchange format
 * between safetensors files, ONNX Runtime and DJL.
 *
 * @param shape the dimensions
 * @param data row-major values, {@code product(shape)} of them
 */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Items of one shape [d…] as one batch [n, d…]. */
    public static Tensor stack(List<Tensor> items) {
        long[] one = items.get(0).shape();
        long[] shape = new long[one.length + 1];
        shape[0] = items.size();
        System.arraycopy(one, 0, shape, 1, one.length);
        int per = items.get(0).data().length;
        float[] data = new float[per * items.size()];
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            if (!Arrays.equals(one, t.shape())) {
                throw new IllegalArgumentException("cannot stack " + t.shapeString() + " with " + Arrays.toString(one));
            }
            System.arraycopy(t.data(), 0, data, i * per, per);
        }
        return new Tensor(shape, data);
    }

    /** Batches [n_i, d…] joined along the first dimension, in order. */
    public static Tensor concat(List<Tensor> parts) {
        long[] shape = parts.get(0).shape().clone();
        shape[0] = 0;
        int total = 0;
        for (Tensor p : parts) {
            shape[0] += p.shape()[0];
            total += p.data().length;
        }
        float[] data = new float[total];
        int at = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, data, at, p.data().length);
            at += p.data().length;
        }
        return new Tensor(shape, data);
    }

    /** The given rows of the first dimension, in order; a row may repeat. */
    public Tensor rows(int... rows) {
        long[] s = shape.clone();
        int n = (int) s[0];
        int rowSize = n == 0 ? 0 : data.length / n;
        s[0] = rows.length;
        float[] out = new float[Math.multiplyExact(rows.length, rowSize)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IndexOutOfBoundsException("row " + rows[i] + " of a batch of " + n);
            }
            System.arraycopy(data, rows[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new Tensor(s, out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of the first dimension. */
    public Tensor slice(int from, int to) {
        int n = (int) shape[0];
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of a batch of " + n);
        }
        int rowSize = n == 0 ? 0 : data.length / n;
        long[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(s, Arrays.copyOfRange(data, from * rowSize, to * rowSize));
    }

    /*
     * Element-wise arithmetic in float (IEEE 754 binary32, one rounding per operation, as Java
     * always computes float), for samplers on the host. Each operation rounds exactly as the
     * engine's float32 kernel for the same operation does, so a sampler gives the same bits here
     * as it gave on engine arrays (tested against PyTorch in TensorArithmeticTest).
     */

    /** this + o, element by element; shapes must be equal. */
    public Tensor add(Tensor o) {
        requireSameShape(o, "add");
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] + o.data[i];
        }
        return new Tensor(shape.clone(), out);
    }

    /** this − o, element by element; shapes must be equal. */
    public Tensor sub(Tensor o) {
        requireSameShape(o, "sub");
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] - o.data[i];
        }
        return new Tensor(shape.clone(), out);
    }

    /** this · s. */
    public Tensor mul(float s) {
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] * s;
        }
        return new Tensor(shape.clone(), out);
    }

    /** this / s (a true division, not a multiplication by 1/s). */
    public Tensor div(float s) {
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] / s;
        }
        return new Tensor(shape.clone(), out);
    }

    private void requireSameShape(Tensor o, String op) {
        if (!Arrays.equals(shape, o.shape)) {
            throw new IllegalArgumentException(op + ": shapes " + shapeString() + " and " + o.shapeString()
                    + " differ");
        }
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
