package dev.ldm.image;

import dev.ldm.LdmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Decodes the data of one tEXt, zTXt or iTXt chunk (PNG specification, section 11.3.4). */
final class PngTextChunks {
    private PngTextChunks() {}

    /** Returns {keyword, text}. */
    static String[] parse(String type, byte[] data, Path file) {
        int nul = indexOf(data, 0);
        if (nul < 1 || nul > 79) {
            throw malformed(file, type, "bad keyword");
        }
        String keyword = new String(data, 0, nul, StandardCharsets.ISO_8859_1);
        switch (type) {
            case "tEXt":
                return new String[] {keyword, latin1(data, nul + 1, data.length)};
            case "zTXt":
                if (nul + 1 >= data.length || data[nul + 1] != 0) {
                    throw malformed(file, type, "unknown compression method");
                }
                byte[] z = PngMetadata.inflate(data, nul + 2, file, type);
                return new String[] {keyword, latin1(z, 0, z.length)};
            default:
                return new String[] {keyword, itxt(data, nul + 1, file)};
        }
    }

    private static String itxt(byte[] data, int at, Path file) {
        if (at + 2 > data.length) {
            throw malformed(file, "iTXt", "missing compression fields");
        }
        boolean compressed = data[at] != 0;
        if (compressed && data[at + 1] != 0) {
            throw malformed(file, "iTXt", "unknown compression method");
        }
        int lang = indexOf(data, at + 2);
        int translated = lang < 0 ? -1 : indexOf(data, lang + 1);
        if (translated < 0) {
            throw malformed(file, "iTXt", "missing language tag or translated keyword");
        }
        int start = translated + 1;
        byte[] utf8 = compressed ? PngMetadata.inflate(data, start, file, "iTXt")
                : java.util.Arrays.copyOfRange(data, start, data.length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static LdmException malformed(Path file, String type, String problem) {
        return LdmException.badInput(file + ": malformed PNG " + type + " chunk (" + problem + ")");
    }
}
