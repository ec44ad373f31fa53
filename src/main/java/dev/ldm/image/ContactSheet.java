package dev.ldm.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A grid of images enlarged by a whole factor with nearest-neighbour pixels (small images stay crisp). */
public final class ContactSheet {
    private ContactSheet() {}

    public static BufferedImage of(List<BufferedImage> images, int columns, int scale) {
        if (scale < 1 || scale > 32) {
            throw new IllegalArgumentException("scale must be in 1..32");
        }
        BufferedImage grid = Images.grid(images, columns);
        if (scale == 1) {
            return grid;
        }
        BufferedImage out = new BufferedImage(grid.getWidth() * scale, grid.getHeight() * scale,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(grid, 0, 0, out.getWidth(), out.getHeight(), null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
