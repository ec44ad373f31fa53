package dev.ldm.image;

import dev.ldm.LdmException;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * Styles ldm can draw from any image on white, each with a trait that measures how much of the
 * style an image shows, so that fine-tuning towards a style can be measured on images of concepts
 * the fine-tuning data does not show: the trait of the base model's images, of the fine-tuned
 * model's, and of the real restyled images. Every style works on 8-bit RGB over white; the side
 * {@code s} of the image sets the stroke and block sizes, so a style means the same at 32 and 128 px.
 */
public enum Restyle {
    /**
     * A thick black outline around the drawing: background pixels within {@code s/16} px (at least 1)
     * of the drawing's silhouette become black. Trait: the share of dark pixels (luma below 64).
     */
    OUTLINE("outline") {
        @Override
        public BufferedImage apply(BufferedImage img) {
            int w = img.getWidth();
            int h = img.getHeight();
            int[] rgb = rgb(img);
            boolean[] drawn = new boolean[w * h];
            for (int i = 0; i < rgb.length; i++) {
                drawn[i] = !nearWhite(rgb[i]);
            }
            int r = stroke(w, h);
            int[] out = rgb.clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (!drawn[y * w + x] && withinDisk(drawn, w, h, x, y, r)) {
                        out[y * w + x] = 0xFF000000;
                    }
                }
            }
            return image(out, w, h);
        }

        @Override
        public double trait(BufferedImage img) {
            int[] rgb = rgb(img);
            long dark = Arrays.stream(rgb).filter(p -> luma(p) < 64).count();
            return (double) dark / rgb.length;
        }
    },
    /**
     * Posterised colours: every channel quantised to 4 levels (0, 85, 170, 255). Trait: the share of
     * pixels whose three channels all lie within 12 of a level.
     */
    POSTERISE("posterise") {
        @Override
        public BufferedImage apply(BufferedImage img) {
            int[] rgb = rgb(img);
            int[] out = new int[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                int p = rgb[i];
                out[i] = 0xFF000000 | level(p >> 16 & 255) << 16 | level(p >> 8 & 255) << 8 | level(p & 255);
            }
            return image(out, img.getWidth(), img.getHeight());
        }

        @Override
        public double trait(BufferedImage img) {
            int[] rgb = rgb(img);
            long on = Arrays.stream(rgb).filter(p -> onLevel(p >> 16 & 255) && onLevel(p >> 8 & 255)
                    && onLevel(p & 255)).count();
            return (double) on / rgb.length;
        }

        private static int level(int v) {
            return Math.round(v / 85f) * 85;
        }

        private static boolean onLevel(int v) {
            return Math.abs(v - level(v)) <= 12;
        }
    },
    /**
     * Pixel art: the image as blocks of {@code s/8} px (at least 2), each the mean colour of its block.
     * Trait: (across − within) / (across + within) of the mean absolute difference between
     * horizontally and vertically neighbouring pixels, across block borders against within blocks:
     * 1 for perfect blocks, about 0 for an image without them.
     */
    PIXEL("pixel") {
        @Override
        public BufferedImage apply(BufferedImage img) {
            int w = img.getWidth();
            int h = img.getHeight();
            int b = block(w, h);
            int[] rgb = rgb(img);
            int[] out = new int[rgb.length];
            for (int by = 0; by < h; by += b) {
                for (int bx = 0; bx < w; bx += b) {
                    long[] sum = new long[3];
                    int n = 0;
                    for (int y = by; y < Math.min(h, by + b); y++) {
                        for (int x = bx; x < Math.min(w, bx + b); x++) {
                            int p = rgb[y * w + x];
                            sum[0] += p >> 16 & 255;
                            sum[1] += p >> 8 & 255;
                            sum[2] += p & 255;
                            n++;
                        }
                    }
                    int mean = 0xFF000000 | (int) Math.round((double) sum[0] / n) << 16
                            | (int) Math.round((double) sum[1] / n) << 8 | (int) Math.round((double) sum[2] / n);
                    for (int y = by; y < Math.min(h, by + b); y++) {
                        for (int x = bx; x < Math.min(w, bx + b); x++) {
                            out[y * w + x] = mean;
                        }
                    }
                }
            }
            return image(out, w, h);
        }

        @Override
        public double trait(BufferedImage img) {
            int w = img.getWidth();
            int h = img.getHeight();
            int b = block(w, h);
            int[] rgb = rgb(img);
            double[] across = new double[2]; // sum, count
            double[] within = new double[2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (x + 1 < w) {
                        add((x + 1) % b == 0 ? across : within, rgb[y * w + x], rgb[y * w + x + 1]);
                    }
                    if (y + 1 < h) {
                        add((y + 1) % b == 0 ? across : within, rgb[y * w + x], rgb[(y + 1) * w + x]);
                    }
                }
            }
            double a = across[1] == 0 ? 0 : across[0] / across[1];
            double i = within[1] == 0 ? 0 : within[0] / within[1];
            return a + i == 0 ? 0 : (a - i) / (a + i);
        }

        private static void add(double[] acc, int p, int q) {
            acc[0] += Math.abs((p >> 16 & 255) - (q >> 16 & 255)) + Math.abs((p >> 8 & 255) - (q >> 8 & 255))
                    + Math.abs((p & 255) - (q & 255));
            acc[1]++;
        }
    };

    private final String word;

    Restyle(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The image in this style (a new 8-bit RGB image of the same size). */
    public abstract BufferedImage apply(BufferedImage img);

    /** How much of this style the image shows (see each style). */
    public abstract double trait(BufferedImage img);

    public static Restyle parse(String text) {
        String w = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.word.equals(w)).findFirst()
                .orElseThrow(() -> LdmException.badInput("unknown style '" + text + "' (use "
                        + String.join(", ", Arrays.stream(values()).map(Restyle::word).toList()) + ")"));
    }

    /** Outline width: a sixteenth of the side, at least 1 px. */
    static int stroke(int w, int h) {
        return Math.max(1, Math.round(Math.min(w, h) / 16f));
    }

    /** Pixel-art block: an eighth of the side, at least 2 px. */
    static int block(int w, int h) {
        return Math.max(2, Math.min(w, h) / 8);
    }

    /** The image as opaque RGB over white (alpha composited). */
    static int[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] p = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < p.length; i++) {
            int a = p[i] >>> 24;
            if (a != 255) {
                int r = ((p[i] >> 16 & 255) * a + 255 * (255 - a) + 127) / 255;
                int g = ((p[i] >> 8 & 255) * a + 255 * (255 - a) + 127) / 255;
                int b = ((p[i] & 255) * a + 255 * (255 - a) + 127) / 255;
                p[i] = 0xFF000000 | r << 16 | g << 8 | b;
            }
        }
        return p;
    }

    private static BufferedImage image(int[] rgb, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    static int luma(int p) {
        return (299 * (p >> 16 & 255) + 587 * (p >> 8 & 255) + 114 * (p & 255)) / 1000;
    }

    /** Background: every channel within 24 of white. */
    static boolean nearWhite(int p) {
        return (p >> 16 & 255) > 231 && (p >> 8 & 255) > 231 && (p & 255) > 231;
    }

    private static boolean withinDisk(boolean[] drawn, int w, int h, int x, int y, int r) {
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (dx * dx + dy * dy <= r * r && xx >= 0 && yy >= 0 && xx < w && yy < h && drawn[yy * w + xx]) {
                    return true;
                }
            }
        }
        return false;
    }
}
