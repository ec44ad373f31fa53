package dev.ldm.reliability;

import java.awt.Point;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image files for the bad-input corpus, made byte by byte or through ImageIO's writers: valid
 * small images of every format to truncate and corrupt, headers that declare absurd sizes, and the
 * unusual colour layouts (16-bit, gray, palette, alpha, CMYK) that decoders treat differently.
 */
final class BadImages {
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private BadImages() {}

    /** Seeded RGB noise, so truncated files have non-trivial compressed data. */
    static BufferedImage noise(int w, int h, long seed) {
        Random rng = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** An image encoded by ImageIO's writer for {@code format} (png, jpeg, gif, bmp). */
    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] valid(String format) {
        return encode(noise(16, 16, format.hashCode()), format);
    }

    static byte[] truncate(byte[] b, double fraction) {
        return Arrays.copyOf(b, (int) (b.length * fraction));
    }

    /** The first {@code keep} bytes, then seeded garbage to the original length. */
    static byte[] garbleAfter(byte[] b, int keep, long seed) {
        byte[] out = b.clone();
        Random rng = new Random(seed);
        for (int i = keep; i < out.length; i++) {
            out[i] = (byte) rng.nextInt(256);
        }
        return out;
    }

    /** One PNG chunk (the one writer of them, in the image tests). */
    static byte[] chunk(String type, byte[] data) {
        return dev.ldm.image.TestImages.chunk(type, data);
    }

    static byte[] ihdr(int w, int h) {
        return chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
    }

    /** Signature, then the chunks as given. */
    static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    /** A PNG that declares {@code w x h} RGB pixels and carries a few bytes of (wrong) pixel data. */
    static byte[] pngBomb(int w, int h) {
        return png(ihdr(w, h), chunk("IDAT", new byte[] {0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1}),
                chunk("IEND", new byte[0]));
    }

    /** A valid 4x4 PNG whose IDAT holds seeded garbage (with a correct CRC, so only zlib fails). */
    static byte[] pngCorruptIdat() {
        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x78; // a zlib header that passes its check, then nonsense
        garbage[1] = (byte) 0x9c;
        return png(ihdr(4, 4), chunk("IDAT", garbage), chunk("IEND", new byte[0]));
    }

    /**
     * An RLE8 BMP declaring {@code w x h} pixels whose compressed data is a single end-of-bitmap code
     * (RLE, unlike raw BMP, lets a tiny file declare any size).
     */
    static byte[] bmpBomb(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(64).putInt(0).putInt(62);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 8).putInt(1).putInt(2)
                .putInt(2835).putInt(2835).putInt(2).putInt(0);
        b.putInt(0x000000).putInt(0xffffff); // two palette entries
        b.put((byte) 0).put((byte) 1); // end of bitmap
        return b.array();
    }

    /** A GIF whose screen and single image are {@code w x h} (at most 65535 each), with one pixel of data. */
    static byte[] gifBomb(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h)
                .put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4c).put((byte) 0x01).put((byte) 0).put((byte) 0x3b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A valid JPEG whose frame header (SOF0) is patched to declare {@code w x h}. */
    static byte[] jpegBomb(int w, int h) {
        byte[] jpeg = valid("jpeg");
        for (int i = 0; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) h).putShort((short) w);
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker in ImageIO's JPEG");
    }

    /** RIFF/WEBP with a VP8L chunk of the given payload (the chunk length is what the payload is). */
    static byte[] webp(byte[] vp8l) {
        int padded = vp8l.length + (vp8l.length & 1);
        ByteBuffer riff = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded);
        riff.put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
        return riff.array();
    }

    /** A lossless WebP header for a 16x16 image followed by seeded garbage as its bitstream. */
    static byte[] webpCorrupt() {
        byte[] payload = new byte[48];
        new Random(11).nextBytes(payload);
        int dims = (16 - 1) | (16 - 1) << 14; // 14-bit width-1, 14-bit height-1, then alpha and version bits
        payload[0] = 0x2f;
        ByteBuffer.wrap(payload, 1, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(dims);
        return webp(payload);
    }

    /** A lossless WebP header declaring 16384 x 16384 pixels (the format's largest), then nothing. */
    static byte[] webpBomb() {
        byte[] payload = new byte[64];
        payload[0] = 0x2f;
        ByteBuffer.wrap(payload, 1, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(16383 | 16383 << 14);
        return webp(payload);
    }

    /**
     * An 8x8 CMYK JPEG of one colour, as Photoshop writes them: an Adobe APP14 marker (transform 0)
     * and the ink amounts stored inverted (255 = no ink).
     */
    static byte[] cmykJpeg(int c, int m, int y, int k) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, new Point());
        for (int j = 0; j < 8; j++) {
            for (int i = 0; i < 8; i++) {
                r.setPixel(i, j, new int[] {255 - c, 255 - m, 255 - y, 255 - k});
            }
        }
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(r, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        byte[] b = out.toByteArray();
        byte[] app14 = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream withMarker = new ByteArrayOutputStream();
        withMarker.write(b, 0, 2); // SOI
        withMarker.writeBytes(app14);
        withMarker.write(b, 2, b.length - 2);
        return withMarker.toByteArray();
    }

    /** 16-bit-per-channel RGB, every sample v8 * 257 so that it maps to exactly v8. */
    static BufferedImage rgb16(int w, int h, int r8, int g8, int b8) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                ComponentColorModel.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {r8 * 257, g8 * 257, b8 * 257});
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    /** Gray, 8 or 16 bits, optionally with alpha; samples given as 8-bit values. */
    static BufferedImage gray(int w, int h, int bits, int v8, Integer alpha8) {
        int type = bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        int scale = bits == 16 ? 257 : 1;
        boolean alpha = alpha8 != null;
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), alpha, false,
                alpha ? ComponentColorModel.TRANSLUCENT : ComponentColorModel.OPAQUE, type);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int[] px = alpha ? new int[] {v8 * scale, alpha8 * scale} : new int[] {v8 * scale};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, px);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    /** A 2-bit palette image: left half palette entry 1 (opaque), right half entry 0 (transparent). */
    static BufferedImage palette(int w, int h, int rgb) {
        byte[] r = {0, (byte) (rgb >> 16), 0, 0};
        byte[] g = {0, (byte) (rgb >> 8), 0, 0};
        byte[] b = {0, (byte) rgb, 0, 0};
        byte[] a = {0, (byte) 255, (byte) 255, (byte) 255};
        IndexColorModel cm = new IndexColorModel(2, 4, r, g, b, a);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, x < w / 2 ? 1 : 0);
            }
        }
        return img;
    }

    /** ARGB of one colour and alpha everywhere. */
    static BufferedImage argb(int w, int h, int argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }
}
