package dev.ldm.image;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * Rotates the hue of every pixel and keeps its saturation and brightness (HSB, Java's own
 * conversion): a red fox turned by 240° is a blue fox with the same shading, while white, black and
 * greys stay as they are. Alpha is composited onto white first, as the VAE sees images, so the
 * result is opaque 8-bit RGB. Used to make recoloured training copies whose captions name the new
 * colour, so that colour words bind to any concept.
 */
public final class HueRotation {
    private HueRotation() {}

    /**
     * The image with every hue turned by {@code degrees} (any value; taken modulo 360).
     *
     * @return a new TYPE_INT_RGB image of the same size
     */
    public static BufferedImage rotate(BufferedImage img, double degrees) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = ImagePixels.argb(img);
        float turn = (float) (((degrees % 360) + 360) % 360 / 360.0);
        float[] hsb = new float[3];
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            int p = onWhite(px[i]);
            Color.RGBtoHSB(p >> 16 & 255, p >> 8 & 255, p & 255, hsb);
            out[i] = hsb[1] == 0 ? p & 0xFFFFFF : Color.HSBtoRGB(hsb[0] + turn, hsb[1], hsb[2]) & 0xFFFFFF;
        }
        BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        result.setRGB(0, 0, w, h, out, 0, w);
        return result;
    }

    /** An ARGB pixel composited onto white, as 0xRRGGBB. */
    static int onWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xFFFFFF;
        }
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int v = argb >> shift & 255;
            out |= Math.round((a * v + (255 - a) * 255) / 255f) << shift;
        }
        return out;
    }
}
