package dev.ldm.onnx.export;

/**
 * One node attribute (onnx.proto AttributeProto). Build with the factories; exactly one value
 * field is written, chosen by {@link #type}.
 *
 * @param name attribute name, for example {@code kernel_shape}
 * @param type AttributeProto.AttributeType number ({@link #FLOAT}, {@link #INT}, ...)
 * @param value a Float, Long, String, float[] or long[] matching the type
 */
public record OnnxAttribute(String name, int type, Object value) {
    /** AttributeProto.AttributeType values used by ldm. */
    public static final int FLOAT = 1;
    public static final int INT = 2;
    public static final int STRING = 3;
    public static final int FLOATS = 6;
    public static final int INTS = 7;

    // AttributeProto field numbers.
    private static final int F_NAME = 1;
    private static final int F_F = 2;
    private static final int F_I = 3;
    private static final int F_S = 4;
    private static final int F_FLOATS = 7;
    private static final int F_INTS = 8;
    private static final int F_TYPE = 20;

    public static OnnxAttribute of(String name, float value) {
        return new OnnxAttribute(name, FLOAT, value);
    }

    public static OnnxAttribute of(String name, long value) {
        return new OnnxAttribute(name, INT, value);
    }

    public static OnnxAttribute of(String name, String value) {
        return new OnnxAttribute(name, STRING, value);
    }

    public static OnnxAttribute floats(String name, float... values) {
        return new OnnxAttribute(name, FLOATS, values.clone());
    }

    public static OnnxAttribute ints(String name, long... values) {
        return new OnnxAttribute(name, INTS, values.clone());
    }

    /** Serialises as an AttributeProto message. */
    ProtoWriter toProto() {
        ProtoWriter p = new ProtoWriter().string(F_NAME, name);
        switch (type) {
            case FLOAT -> p.float32(F_F, (Float) value);
            case INT -> p.varint(F_I, (Long) value);
            case STRING -> p.string(F_S, (String) value);
            case FLOATS -> {
                for (float f : (float[]) value) {
                    p.float32(F_FLOATS, f);
                }
            }
            case INTS -> {
                for (long i : (long[]) value) {
                    p.varint(F_INTS, i);
                }
            }
            default -> throw new IllegalArgumentException("unsupported attribute type " + type);
        }
        return p.varint(F_TYPE, type);
    }
}
