package dev.ldm.data.emoji;

import java.math.BigDecimal;

/**
 * One drawable name of an Iconify JSON set: an icon, or an alias resolved to its parent's body.
 *
 * @param name the icon's or alias's name ({@code fox}, {@code red-heart})
 * @param body the SVG markup inside the {@code <svg>} element
 * @param width the viewBox width (the icon's, else the file's)
 * @param height the viewBox height
 * @param alias true for an alias: another name (possibly mirrored) of an icon
 * @param transform an SVG transform the alias applies to its parent's drawing (a mirror), or null
 */
public record IconifyIcon(String name, String body, double width, double height, boolean alias, String transform) {
    public IconifyIcon {
        if (name == null || body == null) {
            throw new IllegalArgumentException("icon name and body are required");
        }
    }

    /**
     * The complete document: {@code <svg xmlns=... viewBox="0 0 W H">BODY</svg>}. xlink is declared
     * because Noto and others write {@code xlink:href} in bodies without declaring it (Iconify's own
     * wrapper adds it).
     */
    public String document() {
        String inner = transform == null ? body : "<g transform=\"" + transform + "\">" + body + "</g>";
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 "
                + number(width) + " " + number(height) + "\">" + inner + "</svg>";
    }

    /** {@code 36}, not {@code 36.0}: the document's text is what the renderer and its tests see. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
