package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.vae.VaeEvaluation;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSVG rendering against Java2D drawings of the same shapes, and the refusals of untrusted SVG. */
class SvgRendererTest {
    private static final String NS = "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 32 32\">";
    /** A red circle and a blue triangle, drawn once in SVG and once with Java2D in {@link #java2d}. */
    private static final String SHAPES = NS + "<circle cx=\"12\" cy=\"12\" r=\"9\" fill=\"#e02020\"/>"
            + "<path d=\"M14 30L30 30L22 14Z\" fill=\"#2040e0\"/></svg>";

    @TempDir
    Path dir;

    private final SvgRenderer renderer = SvgRenderer.withDefaults();

    @Test
    void rendersLikeJava2dOnWhite() throws Exception {
        for (int size : new int[] {32, 64, 128}) {
            BufferedImage svg = renderer.render(SHAPES, size);
            assertEquals(0, svg.getRGB(0, size - 1) >>> 24, "transparent outside the shapes");
            assertEquals(0xffe02020, svg.getRGB(size * 12 / 32, size * 12 / 32), "opaque red in the circle");
            double psnr = VaeEvaluation.psnr(Images.toTensor(java2d(size), size).data(),
                    Images.toTensor(svg, size).data());
            assertTrue(psnr > 35, size + " px: " + psnr + " dB");
        }
        double wrong = VaeEvaluation.psnr(Images.toTensor(java2d(64), 64).data(),
                Images.toTensor(renderer.render(SHAPES.replace("cx=\"12\"", "cx=\"20\""), 64), 64).data());
        assertTrue(wrong < 20, "the comparison can fail: a moved circle scores " + wrong + " dB");
    }

    /** The shapes of {@link #SHAPES}, antialiased, on a transparent square of {@code size}. */
    private static BufferedImage java2d(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 32.0, size / 32.0);
        g.setColor(new Color(0xe02020));
        g.fill(new Ellipse2D.Double(3, 3, 18, 18));
        Path2D.Double triangle = new Path2D.Double();
        triangle.moveTo(14, 30);
        triangle.lineTo(30, 30);
        triangle.lineTo(22, 14);
        triangle.closePath();
        g.setColor(new Color(0x2040e0));
        g.fill(triangle);
        g.dispose();
        return img;
    }

    @Test
    void internalReferencesAreAllowed() throws Exception {
        String svg = NS + "<defs><path id=\"a\" d=\"M0 0h32v16H0z\"/></defs><clipPath id=\"c\"><use xlink:href=\"#a\"/>"
                + "</clipPath><circle clip-path=\"url(#c)\" cx=\"16\" cy=\"16\" r=\"14\" fill=\"#00a000\"/></svg>";
        BufferedImage img = renderer.render(svg, 32);
        assertEquals(0xff00a000, img.getRGB(16, 8), "the top half is drawn");
        assertEquals(0, img.getRGB(16, 24) >>> 24, "the bottom half is clipped away");
    }

    @Test
    void refusesHostileDocumentsWithOneLineReasons() throws Exception {
        Path secret = dir.resolve("secret.png");
        BufferedImage red = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        red.setRGB(0, 0, 0xffff0000);
        PngWriter.write(secret, red, Map.of());
        String laughs = "<!DOCTYPE svg [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>" + NS + "<text>&lol3;</text></svg>";
        Map<String, String> hostile = Map.of(
                laughs, "DOCTYPE",
                NS + "<text>&lol3;</text></svg>", "entity",
                NS + "<image href=\"" + secret.toUri() + "\" width=\"32\" height=\"32\"/></svg>", "href=\"file:",
                NS + "<image xlink:href=\"file:///etc/passwd\" width=\"32\" height=\"32\"/></svg>", "href=\"file:///etc",
                NS + "<image href=\"http://example.com/x.png\" width=\"32\" height=\"32\"/></svg>", "href=\"http://",
                NS + "<rect fill=\"url(http://example.com/p.svg#g)\" width=\"9\" height=\"9\"/></svg>", "url(http://",
                NS + "<style>@import url(x.css);</style></svg>", "@import",
                NS + "<rect width=\"100000000\" height=\"10\"/></svg>", "width=\"100000000\"",
                NS + "<g>".repeat(10_000) + "</g>".repeat(10_000) + "</svg>", "nested deeper than 32",
                NS + "<path d=\"M0 0h1v1z\"/>".repeat(100_000) + "</svg>", "characters (limit");
        for (Map.Entry<String, String> e : hostile.entrySet()) {
            SvgRenderer.Refused r = assertThrows(SvgRenderer.Refused.class, () -> renderer.render(e.getKey(), 32),
                    e.getValue());
            assertTrue(r.getMessage().contains(e.getValue()), r.getMessage() + " should name " + e.getValue());
            assertTrue(!r.getMessage().contains("\n") && r.getMessage().length() < 200, r.getMessage());
        }
        assertTrue(Files.exists(secret));
    }

    @Test
    void tinyLimitsAreEnforcedToo() {
        SvgGuard.Limits tiny = new SvgGuard.Limits(10_000, 3, 5, 64);
        assertTrue(SvgGuard.check(SHAPES, tiny).isEmpty());
        assertTrue(SvgGuard.check(NS + "<g><g><g><rect/></g></g></g></svg>", tiny).orElseThrow().contains("deeper"));
        assertTrue(SvgGuard.check(NS + "<rect/>".repeat(6) + "</svg>", tiny).orElseThrow().contains("elements"));
        assertTrue(SvgGuard.check(NS + "<rect height=\"65\"/></svg>", tiny).orElseThrow().contains("height"));
    }
}
