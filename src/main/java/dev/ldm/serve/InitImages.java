package dev.ldm.serve;

import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The init images clients send for img2img: base64 data (raw or as a {@code data:} URL), never a
 * URL or a path. Each is checked from its header (format and declared size, before any pixel is
 * decoded, so a small file that declares a huge image costs nothing) and kept under the SHA-256 of
 * its bytes, so that the request names it by a path the server chose, as {@code ldm generate
 * --init-image} does, and its PNGs re-render with {@code --from-png}. With a save folder they are
 * kept in {@code init-images/} there; otherwise in a temporary folder removed on close.
 */
public final class InitImages implements AutoCloseable {
    private final Path dir;
    private final boolean temporary;
    private final int maxSide;

    private InitImages(Path dir, boolean temporary, int maxSide) {
        this.dir = dir;
        this.temporary = temporary;
        this.maxSide = maxSide;
    }

    /** Init images under {@code saveDir/init-images}, or in a temporary folder when {@code saveDir} is null. */
    static InitImages open(Path saveDir, int maxSide) {
        try {
            return saveDir == null
                    ? new InitImages(Files.createTempDirectory("ldm-serve-init-"), true, maxSide)
                    : new InitImages(saveDir.resolve("init-images"), false, maxSide);
        } catch (IOException e) {
            throw LdmException.failure("cannot create a temporary folder for init images: " + e.getMessage(), e);
        }
    }

    /**
     * Checks and stores one image sent as base64.
     *
     * @param data base64, or a {@code data:image/...;base64,} URL
     * @param field the request field, for errors
     * @return the path of the stored file
     * @throws ApiError 400 naming {@code field} for a URL, bad base64, an unsupported format or a
     *     declared size beyond the limit
     */
    public String store(String data, String field) {
        byte[] bytes = decode(data, field);
        String format = check(bytes, field);
        Path file = dir.resolve(Sha256.hex(bytes).substring(0, 20) + "." + format);
        if (!Files.isRegularFile(file)) {
            AtomicFiles.write(file, bytes);
        }
        return file.toString();
    }

    /**
     * The bytes of base64 image data (raw or a {@code data:} URL).
     *
     * @throws ApiError 400 naming {@code field} for a URL or bad base64
     */
    public static byte[] decode(String data, String field) {
        String s = data.strip();
        String head = s.substring(0, Math.min(s.length(), 12)).toLowerCase(Locale.ROOT);
        if (head.matches("^[a-z][a-z0-9+.-]*://.*") || head.startsWith("file:")) {
            throw ApiError.badRequest(field, field + ": URLs are refused; send the image itself as base64 or a"
                    + " data: URL");
        }
        if (head.startsWith("data:")) {
            int comma = s.indexOf(',');
            if (comma < 0 || !s.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw ApiError.badRequest(field, field + ": a data: URL must be base64 (data:image/png;base64,...)");
            }
            s = s.substring(comma + 1);
        }
        if (s.isEmpty()) {
            throw ApiError.badRequest(field, field + ": the image is empty");
        }
        try {
            return Base64.getDecoder().decode(s.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field, field + ": not base64 image data (" + e.getMessage() + ")");
        }
    }

    /** The format name (file extension) after checking the declared size; no pixel is decoded. */
    private String check(byte[] bytes, String field) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw ApiError.badRequest(field, field + ": not a supported image (PNG, JPEG, WebP, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > maxSide || h > maxSide) {
                    throw ApiError.badRequest(field, field + ": the image declares " + w + "x" + h
                            + " pixels; at most " + maxSide + " per side is accepted");
                }
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                return format.equals("jpeg") ? "jpg" : format.replaceAll("[^a-z0-9]", "");
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiError a) {
                throw a;
            }
            throw ApiError.badRequest(field, field + ": unreadable image header (" + e.getMessage() + ")");
        }
    }

    /** Removes the temporary folder (a save folder's init images stay: its PNGs name them). */
    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
