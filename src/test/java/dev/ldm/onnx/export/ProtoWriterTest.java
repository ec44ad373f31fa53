package dev.ldm.onnx.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Byte-exact wire-format checks against the examples of the protobuf encoding guide. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void varintFieldMatchesTheEncodingGuide() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().varint(1, 0).toByteArray());
        assertArrayEquals(bytes(0x08, 0x7f), new ProtoWriter().varint(1, 127).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x01), new ProtoWriter().varint(1, 128).toByteArray());
    }

    @Test
    void negativeVarintTakesTenBytes() {
        assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
                new ProtoWriter().varint(1, -1).toByteArray());
    }

    @Test
    void stringAndEmbeddedMessageMatchTheEncodingGuide() {
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
                new ProtoWriter().string(2, "testing").toByteArray());
        ProtoWriter inner = new ProtoWriter().varint(1, 150);
        assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, inner).toByteArray());
    }

    @Test
    void floatIsFixed32LittleEndian() {
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), new ProtoWriter().float32(2, 1.0f).toByteArray());
    }

    @Test
    void largeFieldNumbersUseMultiByteTags() {
        // field 20, varint: tag (20 << 3) | 0 = 160 = 0xa0 0x01
        assertArrayEquals(bytes(0xa0, 0x01, 0x02), new ProtoWriter().varint(20, 2).toByteArray());
    }

    @Test
    void invalidFieldNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(1 << 29, 1));
    }
}
