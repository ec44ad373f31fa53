package dev.ldm.onnx.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format writer: enough to serialise ONNX models without a
 * protobuf dependency. Fields are written in call order; nested messages are written by value.
 *
 * <p>Repeated scalars are written unpacked (one tag per element). ONNX's schema is proto2, where
 * that is the default encoding, and every protobuf parser accepts it.
 */
public final class ProtoWriter {
    /** Wire types (the low three bits of a tag). */
    static final int VARINT = 0;
    static final int FIXED32 = 5;
    static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32/int64/enum/bool field (negative values take ten bytes, as protobuf specifies). */
    public ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A float field (fixed 32 bits, little-endian). */
    public ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** A bytes field. */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A string field (UTF-8). */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field <= 0 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("invalid protobuf field number " + field);
        }
        rawVarint(((long) field << 3) | wireType);
    }

    /** Base-128 varint, least significant group first, treating the value as unsigned. */
    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
