package dev.ldm.image;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.parser.DocumentLimits;
import com.github.weisj.jsvg.parser.LoaderContext;
import com.github.weisj.jsvg.parser.SVGLoader;
import com.github.weisj.jsvg.parser.resources.ResourcePolicy;
import com.github.weisj.jsvg.view.ViewBox;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Renders an SVG document to a square transparent image with JSVG (pure Java, Java2D), antialiased,
 * the document's viewBox fitted into the square and centred (preserveAspectRatio's default). Every
 * document passes {@link SvgGuard} first; JSVG then loads it with external resources denied
 * ({@link ResourcePolicy#DENY_ALL}: no file or network access, not even data URIs) and its own
 * document limits, so a document that slips past one layer is still stopped by the other.
 *
 * <p>Thread-safe: every call uses its own loader and image, so the same document gives the same
 * pixels on any thread and in any order.
 */
public final class SvgRenderer {
    /** JSVG logs parse problems through java.util.logging; ldm reports them as one line itself. */
    private static final Logger JSVG_LOG = Logger.getLogger("com.github.weisj.jsvg");

    static {
        JSVG_LOG.setLevel(Level.OFF);
    }

    /** Why a document was not rendered: the message is the one-line reason. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    private final SvgGuard.Limits limits;

    public SvgRenderer(SvgGuard.Limits limits) {
        this.limits = limits;
    }

    /** A renderer with {@link SvgGuard.Limits#DEFAULT}. */
    public static SvgRenderer withDefaults() {
        return new SvgRenderer(SvgGuard.Limits.DEFAULT);
    }

    /**
     * The document drawn into a {@code size x size} TYPE_INT_ARGB image with a transparent background.
     *
     * @throws Refused when the guard refuses it or JSVG cannot load or draw it
     */
    public BufferedImage render(String svg, int size) throws Refused {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("render size must be in 1..4096, not " + size);
        }
        java.util.Optional<String> why = SvgGuard.check(svg, limits);
        if (why.isPresent()) {
            throw new Refused(why.get());
        }
        SVGDocument doc = load(svg);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            doc.render((java.awt.Component) null, g, new ViewBox(0, 0, size, size));
        } catch (RuntimeException | StackOverflowError e) {
            throw new Refused("JSVG cannot draw it (" + describe(e) + ")");
        } finally {
            g.dispose();
        }
        return image;
    }

    private SVGDocument load(String svg) throws Refused {
        LoaderContext context = LoaderContext.builder()
                .externalResourcePolicy(ResourcePolicy.DENY_ALL)
                .documentLimits(new DocumentLimits(limits.maxDepth(), DocumentLimits.DEFAULT_MAX_USE_NESTING_DEPTH,
                        limits.maxElements()))
                .build();
        SVGDocument doc;
        try {
            doc = new SVGLoader().load(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)), null, context);
        } catch (RuntimeException | StackOverflowError e) {
            throw new Refused("JSVG cannot load it (" + describe(e) + ")");
        }
        if (doc == null) {
            throw new Refused("JSVG cannot load it");
        }
        return doc;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().split("\n")[0];
    }
}
