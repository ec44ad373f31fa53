package dev.ldm.image;

import java.io.StringReader;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Decides whether an SVG document from a package may be rendered. Package artwork is untrusted input:
 * before JSVG sees it, one streaming pass with a parser that supports no DTD and no external entities
 * refuses what could make rendering read files, reach the network, or take unbounded memory or time.
 * Refused: DOCTYPE or entity declarations (billion laughs), any reference that is not to an element of
 * the same document ({@code href}, {@code url(...)}, CSS {@code @import}), width or height attributes
 * above {@link Limits#maxDeclaredSize}, nesting deeper than {@link Limits#maxDepth}, more than
 * {@link Limits#maxElements} elements, and documents longer than {@link Limits#maxChars}. The limits
 * are far above real emoji artwork (DATA.md: depth 5, 4,236 elements, 405 KB, sizes up to 512).
 */
public final class SvgGuard {
    /**
     * Bounds on one document.
     *
     * @param maxChars longest document
     * @param maxDepth deepest element nesting
     * @param maxElements most elements
     * @param maxDeclaredSize largest width or height attribute (user units)
     */
    public record Limits(int maxChars, int maxDepth, int maxElements, double maxDeclaredSize) {
        /** The limits ldm renders package artwork under. */
        public static final Limits DEFAULT = new Limits(2_000_000, 32, 50_000, 16_384);
    }

    private static final Pattern DECLARATION = Pattern.compile("<!\\s*(DOCTYPE|ENTITY)", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL = Pattern.compile("url\\(\\s*(['\"]?)\\s*([^)'\"]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMPORT = Pattern.compile("@import", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("^\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    private SvgGuard() {}

    /** Why the document must not be rendered, or empty when it may be. */
    public static Optional<String> check(String svg, Limits limits) {
        if (svg.length() > limits.maxChars()) {
            return Optional.of("document of " + svg.length() + " characters (limit " + limits.maxChars() + ")");
        }
        if (DECLARATION.matcher(svg).find()) {
            return Optional.of("DOCTYPE or entity declaration");
        }
        if (IMPORT.matcher(svg).find()) {
            return Optional.of("CSS @import (an external reference)");
        }
        Optional<String> url = externalUrl(svg);
        if (url.isPresent()) {
            return url;
        }
        try {
            return scan(svg, limits);
        } catch (XMLStreamException | RuntimeException e) {
            return Optional.of("not well-formed XML (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** A {@code url(...)} anywhere (attribute or style) that does not point into the document. */
    private static Optional<String> externalUrl(String svg) {
        Matcher m = URL.matcher(svg);
        while (m.find()) {
            if (!m.group(2).startsWith("#")) {
                return Optional.of("external reference url(" + abbreviate(m.group(2)) + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> scan(String svg, Limits limits) throws XMLStreamException {
        XMLStreamReader r = factory().createXMLStreamReader(new StringReader(svg));
        try {
            int depth = 0;
            int elements = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                    return Optional.of("DOCTYPE or entity reference");
                }
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    if (++depth > limits.maxDepth()) {
                        return Optional.of("elements nested deeper than " + limits.maxDepth());
                    }
                    if (++elements > limits.maxElements()) {
                        return Optional.of("more than " + limits.maxElements() + " elements");
                    }
                    Optional<String> bad = attributes(r, limits);
                    if (bad.isPresent()) {
                        return bad;
                    }
                }
            }
            return Optional.empty();
        } finally {
            r.close();
        }
    }

    private static Optional<String> attributes(XMLStreamReader r, Limits limits) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String name = r.getAttributeLocalName(i).toLowerCase(Locale.ROOT);
            String value = r.getAttributeValue(i).trim();
            if (name.equals("href") && !value.startsWith("#")) {
                return Optional.of("external reference href=\"" + abbreviate(value) + "\"");
            }
            if (name.equals("width") || name.equals("height")) {
                Matcher m = NUMBER.matcher(value);
                if (m.find() && Math.abs(Double.parseDouble(m.group(1))) > limits.maxDeclaredSize()) {
                    return Optional.of(name + "=\"" + abbreviate(value) + "\" (limit " + (long) limits.maxDeclaredSize()
                            + ")");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A parser that reads no DTD, resolves no external entity and leaves entity references unreplaced;
     * one per thread, since StAX does not promise that a factory may be shared.
     */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(SvgGuard::newFactory);

    private static XMLInputFactory factory() {
        return FACTORY.get();
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entity " + systemId);
        });
        return f;
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 40 ? one : one.substring(0, 40) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        String[] lines = s.strip().split("\n");
        return abbreviate(lines[lines.length - 1].replaceFirst("^Message: ", ""));
    }
}
