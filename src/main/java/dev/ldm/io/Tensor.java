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
