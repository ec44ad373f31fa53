package dev.ldm.io;

import java.util.Arrays;

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
