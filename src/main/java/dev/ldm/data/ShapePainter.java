package dev.ldm.data;

import dev.ldm.util.Rng;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws one filled shape, anti-aliased, on white: the picture behind a caption such as "a red
 * circle". Shapes are defined in a unit frame (radius about 1, centred on 0, y down) and placed with
 * seeded jitter in position, size, rotation and shade, so that the model has to learn the concept
 * and not a single bitmap.
 */
final class ShapePainter {
    /** Rotation jitter, small enough that a square never turns into a diamond or a cross into an x. */
    private static final double MAX_ROTATION = Math.toRadians(20);
    private static final int SHADE_JITTER = 12;

    private ShapePainter() {}

    static BufferedImage draw(String shape, Color color, int size, Rng rng) {
        double radius = size * (0.26 + 0.12 * rng.nextDouble());
        double room = Math.max(0, size / 2.0 - radius * 1.2); // a rotated square reaches 1.2
        double cx = size / 2.0 + (2 * rng.nextDouble() - 1) * room;
        double cy = size / 2.0 + (2 * rng.nextDouble() - 1) * room;
        double angle = (2 * rng.nextDouble() - 1) * MAX_ROTATION;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            AffineTransform at = new AffineTransform();
            at.translate(cx, cy);
            at.rotate(angle);
            at.scale(radius, radius);
            g.setColor(shade(color, rng));
            g.fill(at.createTransformedShape(unit(shape)));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Color shade(Color c, Rng rng) {
        return new Color(jitter(c.getRed(), rng), jitter(c.getGreen(), rng), jitter(c.getBlue(), rng));
    }

    private static int jitter(int v, Rng rng) {
        return Math.max(0, Math.min(255, v + rng.nextInt(2 * SHADE_JITTER + 1) - SHADE_JITTER));
    }

    /** The shape in its unit frame. */
    static Shape unit(String shape) {
        switch (shape) {
            case "circle":
                return new Ellipse2D.Double(-1, -1, 2, 2);
            case "square":
                return new Rectangle2D.Double(-0.85, -0.85, 1.7, 1.7);
            case "triangle":
                return polygon(3, 1.0, 1.0, 0.2);
            case "star":
                return polygon(5, 1.1, 0.5, 0.08);
            case "heart":
                return heart();
            case "ring":
                Area ring = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                ring.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
                return ring;
            case "cross":
                Area cross = new Area(new Rectangle2D.Double(-0.3, -0.95, 0.6, 1.9));
                cross.add(new Area(new Rectangle2D.Double(-0.95, -0.3, 1.9, 0.6)));
                return cross;
            default:
                throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    /** A regular polygon (inner == outer) or star pointing up, shifted down by {@code dy}. */
    private static Shape polygon(int points, double outer, double inner, double dy) {
        Path2D.Double p = new Path2D.Double();
        int corners = inner == outer ? points : 2 * points;
        for (int i = 0; i < corners; i++) {
            double r = inner == outer || i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + i * 2 * Math.PI / corners;
            double x = r * Math.cos(a);
            double y = r * Math.sin(a) + dy;
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    private static Shape heart() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, 0.95);
        p.curveTo(-0.55, 0.5, -1.05, 0.1, -1.0, -0.35);
        p.curveTo(-0.95, -0.95, -0.2, -1.05, 0, -0.5);
        p.curveTo(0.2, -1.05, 0.95, -0.95, 1.0, -0.35);
        p.curveTo(1.05, 0.1, 0.55, 0.5, 0, 0.95);
        p.closePath();
        return p;
    }
}
