package dev.ldm.image;

import dev.ldm.util.Rng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Image files built byte by byte for tests: PNG chunks, a solid-colour lossless WebP, noise. */
public final class TestImages {
    private TestImages() {}

    static BufferedImage noise(int w, int h, long seed) {
        Rng rng = new Rng(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (int) (rng.nextLong() & 0xffffff));
            }
        }
        return img;
    }

    /** One PNG chunk: length, type, data, CRC of type and data. */
    public static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        b.putInt(data.length).put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** A PNG whose header declares {@code w x h} RGB pixels and that has no pixel data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(chunk("IHDR", ihdr.array()));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /**
     * A lossless WebP (VP8L) of one colour: every prefix code is a one-symbol "simple code", so each
     * pixel takes zero bits. Little-endian bit packing as in the WebP lossless specification.
     */
    static byte[] solidWebp(int w, int h, int a, int r, int g, int b) {
        Bits bits = new Bits();
        bits.put(0x2f, 8).put(w - 1, 14).put(h - 1, 14).put(a == 255 ? 0 : 1, 1).put(0, 3);
        bits.put(0, 1); // no transform
        bits.put(0, 1); // no colour cache
        bits.put(0, 1); // no meta prefix codes
        for (int symbol : new int[] {g, r, b, a}) {
            bits.put(1, 1).put(0, 1).put(1, 1).put(symbol, 8); // simple code, 1 symbol, 8-bit symbol
        }
        bits.put(1, 1).put(0, 1).put(0, 1).put(0, 1); // distance code: one 1-bit symbol 0
        // zero bytes after the bitstream: TwelveMonkeys' bit reader refills eight bytes at a time
        byte[] stream = bits.bytes();
        byte[] data = java.util.Arrays.copyOf(stream, stream.length + 8);
        int padded = data.length + (data.length & 1);
        ByteBuffer riff = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded);
        riff.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put("VP8L".getBytes(StandardCharsets.US_ASCII));
        riff.putInt(data.length).put(data);
        return riff.array();
    }

    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int n;

        Bits put(int value, int count) {
            acc |= ((long) value & ((1L << count) - 1)) << n;
            n += count;
            while (n >= 8) {
                out.write((int) (acc & 0xff));
                acc >>>= 8;
                n -= 8;
            }
            return this;
        }

        byte[] bytes() {
            if (n > 0) {
                out.write((int) (acc & 0xff));
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
