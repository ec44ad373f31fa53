package dev.ldm.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Reads any decoded image as non-premultiplied sRGB ARGB pixels. Java2D treats grayscale images
 * (PNG and JPEG decode to them) as linear gray and brightens them on conversion (sample 128 becomes
 * 188); image files store gamma-encoded gray, so gray samples are copied as they are instead, and CMYK
 * (JPEG) ink amounts are converted by the device formula for the same reason. Every other colour
 * model (palette, 16-bit, alpha, ICC) goes through Java2D's own conversion.
 */
public final class ImagePixels {
    private ImagePixels() {}

    /** Row-major 0xAARRGGBB pixels, {@code width * height} of them. */
    public static int[] argb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int type = img.getType();
        if (type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_INT_RGB) {
            int[] out = fastCopy(img, w, h);
            if (type == BufferedImage.TYPE_INT_RGB) {
                for (int i = 0; i < out.length; i++) {
                    out[i] |= 0xff000000;
                }
            }
            return out;
        }
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !cm.isAlphaPremultiplied()) {
            return gray(img.getRaster(), cm, w, h);
        }
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK
                && cm.getNumComponents() == 4) {
            return cmyk(img.getRaster(), cm, w, h);
        }
        int[] out = new int[w * h];
        img.getRGB(0, 0, w, h, out, 0, w);
        return out;
    }

    /** A copy as TYPE_INT_ARGB (alpha kept) or TYPE_INT_RGB (when the image has no alpha). */
    public static BufferedImage toSrgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean alpha = img.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] px = argb(img);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            dst[i] = alpha ? px[i] : px[i] & 0xffffff;
        }
        return out;
    }

    private static int[] fastCopy(BufferedImage img, int w, int h) {
        Raster r = img.getRaster();
        if (r.getDataBuffer() instanceof DataBufferInt db && r.getSampleModelTranslateX() == 0
                && r.getSampleModelTranslateY() == 0 && db.getNumBanks() == 1 && db.getSize() == w * h
                && r.getSampleModel().getWidth() == w) {
            return db.getData().clone();
        }
        int[] out = new int[w * h];
        img.getRGB(0, 0, w, h, out, 0, w);
        return out;
    }

    private static int[] gray(Raster r, ColorModel cm, int w, int h) {
        double grayMax = (1L << cm.getComponentSize(0)) - 1;
        boolean alpha = cm.hasAlpha();
        double alphaMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
        int[] g = new int[w];
        int[] a = new int[w];
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, g);
            if (alpha) {
                r.getSamples(0, y, w, 1, 1, a);
            }
            for (int x = 0; x < w; x++) {
                int v = to8(g[x], grayMax);
                int av = alpha ? to8(a[x], alphaMax) : 255;
                out[y * w + x] = av << 24 | v << 16 | v << 8 | v;
            }
        }
        return out;
    }

    /**
     * Ink amounts to RGB by the device formula R = (1 − C)(1 − K), ... as print software previews
     * them. Java2D's own CMYK conversion treats the result as linear light and brightens mid-tones
     * (50% cyan comes out at 188 instead of 128), as it does for gray.
     */
    private static int[] cmyk(Raster r, ColorModel cm, int w, int h) {
        double[] max = new double[4];
        for (int c = 0; c < 4; c++) {
            max[c] = (1L << cm.getComponentSize(c)) - 1;
        }
        int[] px = new int[4];
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(x, y, px);
                double white = 1 - px[3] / max[3];
                int red = (int) Math.round(255 * (1 - px[0] / max[0]) * white);
                int green = (int) Math.round(255 * (1 - px[1] / max[1]) * white);
                int blue = (int) Math.round(255 * (1 - px[2] / max[2]) * white);
                out[y * w + x] = 0xff000000 | red << 16 | green << 8 | blue;
            }
        }
        return out;
    }

    private static int to8(int sample, double max) {
        return (int) Math.round(sample * 255.0 / max);
    }
}
