package dev.ldm.image;

import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.imaging.formats.png.AbstractPngText;
import org.apache.commons.imaging.formats.png.PngImageParser;
import org.apache.commons.imaging.formats.png.PngImagingParameters;

/**
 * Writes PNGs with text chunks (the AUTOMATIC1111 {@code parameters} chunk and ldm's settings) through
 * Commons Imaging. Text that fits Latin-1 goes in tEXt, which every viewer reads; anything else in
 * UTF-8 iTXt. No timestamp or other varying chunk is written, so the same image and text give the
 * same bytes, and the file appears atomically.
 */
public final class PngWriter {
    private PngWriter() {}

    /** Writes {@code img} to {@code file} with the given keyword to text chunks, in the map's order. */
    public static void write(java.nio.file.Path file, BufferedImage img, Map<String, String> textChunks) {
        AtomicFiles.write(file, encode(img, textChunks));
    }

    /**
     * The PNG bytes. Encoded in memory because Commons Imaging closes the stream it writes to, which
     * would end {@link AtomicFiles}' own stream before it is forced to disk.
     */
    public static byte[] encode(BufferedImage img, Map<String, String> textChunks) {
        PngImagingParameters params = new PngImagingParameters();
        params.setTextChunks(chunks(textChunks));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PngImageParser().writeImage(ImagePixels.toSrgb(img), out, params);
        } catch (IOException e) {
            throw LdmException.failure("cannot encode PNG (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }

    private static List<AbstractPngText> chunks(Map<String, String> text) {
        List<AbstractPngText> out = new ArrayList<>();
        for (Map.Entry<String, String> e : text.entrySet()) {
            checkKeyword(e.getKey());
            String value = e.getValue();
            if (value == null || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("PNG text '" + e.getKey() + "' is null or contains NUL");
            }
            if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
                out.add(new AbstractPngText.Text(e.getKey(), value));
            } else {
                out.add(new AbstractPngText.Itxt(e.getKey(), value, "", e.getKey()));
            }
        }
        return out;
    }

    /** PNG keywords: 1 to 79 printable Latin-1 characters, no leading, trailing or double spaces. */
    static void checkKeyword(String key) {
        boolean ok = key != null && !key.isEmpty() && key.length() <= 79 && !key.startsWith(" ")
                && !key.endsWith(" ") && !key.contains("  ");
        for (int i = 0; ok && i < key.length(); i++) {
            char c = key.charAt(i);
            ok = (c >= 32 && c <= 126) || (c >= 161 && c <= 255);
        }
        if (!ok) {
            throw new IllegalArgumentException("not a valid PNG text keyword: '" + key + "'");
        }
    }
}
