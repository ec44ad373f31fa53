package dev.ldm.onnx.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal protocol-buffers wire-format writer: enough to serialise ONNX models without a
 * protobuf dependency. Fields are written in call order; nested messages are written by value.
 *
 * <p>Repeated scalars are written unpacked (one tag per element). ONNX's schema is proto2, where
 * that is the default encoding, and every protobuf parser accepts it.
 *
 * <p>Large byte fields and embedded messages are kept by reference, not copied, until
 * {@link #toByteArray} copies everything once: a DiT's weights (6.6 MB for the shipped model) were
 * copied at every level of nesting and every doubling of a growing buffer, which made the export a
 * quarter of a second of every {@code ldm generate}.
 */
public final class ProtoWriter {
    /** Wire types (the low three bits of a tag). */
    static final int VARINT = 0;
    static final int FIXED32 = 5;
    static final int LENGTH_DELIMITED = 2;

    /** Byte fields at least this long are kept by reference. */
    private static final int BY_REFERENCE = 4096;

    /** The bytes written since the last part was closed. */
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Earlier parts, in order: byte arrays (never changed afterwards) and closed small buffers. */
    private final List<byte[]> parts = new ArrayList<>();
    private int partsSize;

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
        if (value.length < BY_REFERENCE) {
            out.writeBytes(value);
        } else {
            closePart();
            append(value);
        }
        return this;
    }

    /** A string field (UTF-8). */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(message.size());
        closePart();
        message.closePart();
        message.parts.forEach(this::append);
        return this;
    }

    public int size() {
        return partsSize + out.size();
    }

    public byte[] toByteArray() {
        byte[] all = new byte[size()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        byte[] tail = out.toByteArray();
        System.arraycopy(tail, 0, all, at, tail.length);
        return all;
    }

    /** Moves the bytes written since the last part into a part of their own. */
    private void closePart() {
        if (out.size() > 0) {
            append(out.toByteArray());
            out = new ByteArrayOutputStream();
        }
    }

    private void append(byte[] part) {
        parts.add(part);
        partsSize = Math.addExact(partsSize, part.length);
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
