package dev.ldm.image;

import dev.ldm.LdmException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the text chunks (tEXt, zTXt, iTXt) of a PNG: what ldm and AUTOMATIC1111 wrote as settings.
 * A small chunk walker rather than a full decoder: pixel data is skipped, text chunks are checked
 * against their CRC, and compressed text is inflated to at most {@link #MAX_TEXT} bytes, so a
 * hostile file can neither exhaust memory nor slip through as garbage.
 */
public final class PngMetadata {
    /** Largest text chunk, compressed or inflated, that is read. */
    public static final int MAX_TEXT = 16 << 20;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngMetadata() {}

    /** Keyword to text, in file order; when a keyword repeats the first one is kept. */
    public static Map<String, String> read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            return readChunks(in, file);
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (EOFException e) {
            throw LdmException.badInput(file + ": truncated PNG", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #read(Path)} for a PNG held in memory; {@code name} names it in messages. */
    public static Map<String, String> read(byte[] png, Path name) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(png))) {
            return readChunks(in, name);
        } catch (EOFException e) {
            throw LdmException.badInput(name + ": truncated PNG", e);
        } catch (IOException e) {
            throw LdmException.badInput(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, String> readChunks(DataInputStream in, Path file) throws IOException {
        byte[] sig = new byte[8];
        int n = in.readNBytes(sig, 0, 8);
        if (n < 8 || !Arrays.equals(sig, SIGNATURE)) {
            throw LdmException.badInput(file + ": not a PNG file");
        }
        Map<String, String> text = new LinkedHashMap<>();
        while (true) {
            long length = in.readInt() & 0xffffffffL;
            byte[] typeBytes = in.readNBytes(4);
            if (typeBytes.length < 4) {
                throw new EOFException();
            }
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) {
                throw LdmException.badInput(file + ": corrupt PNG (chunk " + type + " of length " + length + ")");
            }
            if (type.equals("IEND")) {
                return text;
            }
            if (!type.equals("tEXt") && !type.equals("zTXt") && !type.equals("iTXt")) {
                in.skipNBytes(length + 4); // data and CRC
                continue;
            }
            if (length > MAX_TEXT) {
                throw LdmException.badInput(file + ": " + type + " chunk too large (" + length + " bytes)");
            }
            byte[] data = in.readNBytes((int) length);
            if (data.length < length) {
                throw new EOFException();
            }
            checkCrc(typeBytes, data, in.readInt(), file, type);
            String[] kv = PngTextChunks.parse(type, data, file);
            text.putIfAbsent(kv[0], kv[1]);
        }
    }

    private static void checkCrc(byte[] type, byte[] data, int expected, Path file, String name) {
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        if ((int) crc.getValue() != expected) {
            throw LdmException.badInput(file + ": corrupt PNG (" + name + " chunk fails its CRC)");
        }
    }

    /** Inflates zlib data, refusing output beyond {@link #MAX_TEXT}. */
    static byte[] inflate(byte[] data, int offset, Path file, String type) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data, offset, data.length - offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw LdmException.badInput(file + ": corrupt PNG (" + type + " text is cut short)");
                }
                out.write(buf, 0, k);
                if (out.size() > MAX_TEXT) {
                    throw LdmException.badInput(file + ": " + type + " text inflates past " + MAX_TEXT + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw LdmException.badInput(file + ": corrupt PNG (" + type + " text does not inflate)", e);
        } finally {
            inf.end();
        }
    }
}
