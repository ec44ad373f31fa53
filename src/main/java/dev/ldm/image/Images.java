package dev.ldm.image;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files to ldm's tensors and back. Images enter the VAE as [3, S, S] RGB in [-1, 1] with
 * alpha composited onto white (DESIGN.md); decoding refuses oversized images from their header,
 * before any pixel memory is allocated, and reports every unreadable file as bad input naming it.
 */
public final class Images {
    /** Largest image ldm decodes: 64 megapixels (8192 x 8192). */
    public static final long MAX_PIXELS = 1L << 26;
    static final String FORMATS = "PNG, JPEG, WebP, BMP or GIF";

    private Images() {}

    /**
     * Decodes an image file (format from its content, not its name; the first frame of an animation)
     * to TYPE_INT_ARGB when it has alpha, else TYPE_INT_RGB, in sRGB.
     */
    public static BufferedImage read(Path file) {
        checkFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw LdmException.badInput(file + ": cannot open");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw LdmException.badInput(file + ": not a supported image (" + FORMATS + ")");
            }
            ImageReader reader = readers.next();
            try {
                return ImagePixels.toSrgb(decode(reader, in, file));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void checkFile(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw LdmException.badInput(file + ": is a folder, not an image");
            }
            if (Files.size(file) == 0) {
                throw LdmException.badInput(file + ": empty file");
            }
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static BufferedImage decode(ImageReader reader, ImageInputStream in, Path file) {
        String format = formatName(reader);
        StringBuilder fatal = new StringBuilder();
        IIOReadWarningListener warnings = (source, warning) -> {
            if (warning != null && warning.toLowerCase(java.util.Locale.ROOT).contains("premature end")) {
                fatal.append(warning);
            }
        };
        try {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(warnings);
            long w = reader.getWidth(0);
            long h = reader.getHeight(0);
            if (w <= 0 || h <= 0) {
                throw LdmException.badInput(file + ": " + format + " declares an empty size " + w + "x" + h);
            }
            if (w * h > MAX_PIXELS) {
                throw LdmException.badInput(file + ": " + format + " image is " + w + "x" + h
                        + ", more than the limit of " + (MAX_PIXELS >> 20) + " megapixels");
            }
            BufferedImage img = reader.read(0);
            if (img == null || fatal.length() > 0) {
                throw LdmException.badInput(file + ": truncated or corrupt " + format
                        + (fatal.length() > 0 ? " (" + fatal + ")" : ""));
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LdmException l) {
                throw l;
            }
            throw LdmException.badInput(file + ": truncated, corrupt or unsupported " + format + " (" + why(e) + ")",
                    e);
        }
    }

    /** The decoder's own words, or what an exception without a message means (no class names for users). */
    private static String why(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return "unexpected end of file";
            }
        }
        return e.getMessage() != null ? e.getMessage() : "unreadable data";
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    /**
     * An image as the VAE's input: alpha composited onto white, the shorter side resized to
     * {@code size} (area averaging when shrinking), centre-cropped to a square.
     *
     * @return [3, size, size] RGB in [-1, 1]
     */
    public static Tensor toTensor(BufferedImage img, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, not " + size);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = ImagePixels.argb(img);
        float[] data = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            float[] plane = new float[w * h]; // [h, w] in 0..255 over white
            int shift = 16 - 8 * c;
            for (int i = 0; i < px.length; i++) {
                float a = (px[i] >>> 24) / 255f;
                float v = (px[i] >> shift) & 0xff;
                plane[i] = a * v + (1 - a) * 255f;
            }
            float[] resized = Resampler.resizeCrop(plane, w, h, size); // [size, size]
            for (int i = 0; i < resized.length; i++) {
                data[c * size * size + i] = resized[i] / 127.5f - 1f;
            }
        }
        return new Tensor(new long[] {3, size, size}, data);
    }

    /**
     * Images at {@code size} px: one already that size is kept as it is, another is rounded to an
     * 8-bit image and resized by {@link #toTensor} (how {@code ldm eval} brings images to the judge's size).
     *
     * @param images [3, S, S] in [-1, 1]
     */
    public static List<Tensor> atSize(List<Tensor> images, int size) {
        List<Tensor> out = new java.util.ArrayList<>(images.size());
        for (Tensor t : images) {
            out.add((int) t.shape()[1] == size ? t : toTensor(toImage(t), size));
        }
        return out;
    }

    /**
     * A decoded tensor as an RGB image: values clamped to [-1, 1] and rounded to 8 bits.
     *
     * @param chw [3, H, W] RGB in [-1, 1]
     */
    public static BufferedImage toImage(Tensor chw) {
        long[] s = chw.shape();
        if (s.length != 3 || s[0] != 3) {
            throw new IllegalArgumentException("expected an image tensor [3, H, W], got " + chw.shapeString());
        }
        int h = (int) s[1];
        int w = (int) s[2];
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        float[] d = chw.data();
        int n = w * h;
        for (int i = 0; i < n; i++) {
            dst[i] = to8(d[i]) << 16 | to8(d[n + i]) << 8 | to8(d[2 * n + i]);
        }
        return out;
    }

    private static int to8(float v) {
        float c = Float.isNaN(v) ? -1f : Math.max(-1f, Math.min(1f, v));
        return Math.round((c + 1f) * 127.5f);
    }

    /** Tiles images left to right, top to bottom, on white; cells are as large as the largest image. */
    public static BufferedImage grid(List<BufferedImage> images, int columns) {
        if (images.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("grid needs images and a positive column count");
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int cw = images.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int ch = images.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        BufferedImage out = new BufferedImage(cols * cw, rows * ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < images.size(); i++) {
                g.drawImage(ImagePixels.toSrgb(images.get(i)), (i % cols) * cw, (i / cols) * ch, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
