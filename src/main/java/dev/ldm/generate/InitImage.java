package dev.ldm.generate;

import dev.ldm.LdmException;
import dev.ldm.image.Images;
import dev.ldm.io.Sha256;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The image an img2img (SDEdit) generation starts from. The file is named by path and pinned by
 * the SHA-256 of its bytes, so that re-rendering from a PNG's settings can refuse an init image
 * that has changed instead of silently drawing something else.
 *
 * @param path the image file as given (relative paths against the working folder)
 * @param sha256 SHA-256 of the file's bytes when the request was made (64 hex digits)
 * @param strength S in [0, 1]: sampling starts at t = S from x_S = (1 − S)·z + S·ε, where z is the
 *     image's normalised latent; 0 returns the input's VAE reconstruction, 1 ignores the input
 */
public record InitImage(String path, String sha256, double strength) implements java.io.Serializable {
    /** AUTOMATIC1111's default denoising strength. */
    public static final double DEFAULT_STRENGTH = 0.75;

    public InitImage {
        checkStrength(strength);
        if (path == null || path.isBlank()) {
            throw LdmException.badInput("--init-image: the path is empty");
        }
        if (!Sha256.isHex(sha256)) {
            throw LdmException.badInput(path + ": init image hash must be 64 hex digits, not '" + sha256 + "'");
        }
    }

    /** Refuses a strength outside [0, 1] (or NaN) with a bad-input error. */
    public static void checkStrength(double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw LdmException.badInput("--strength must be between 0 and 1, not " + strength);
        }
    }

    /**
     * The file as it is now: hashed so later re-renders can check it, and decoded once so that a
     * broken image is refused before any model is loaded or any image of a batch is written. Only
     * regular files are read (a path from a PNG's metadata could name /dev/zero).
     */
    public static InitImage of(String path, double strength) {
        checkStrength(strength);
        Path file = file(path);
        if (Files.isDirectory(file)) {
            throw LdmException.badInput(path + ": is a folder, not an image");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw LdmException.badInput(path + ": not a regular file");
        }
        String sha = Sha256.file(file);
        Images.read(file);
        return new InitImage(path, sha, strength);
    }

    /**
     * The pixels as the VAE's input at {@code size} (alpha onto white, shorter side resized, centre
     * crop), after checking that the file still has the bytes it had when the request was made.
     *
     * @return [3, size, size] RGB in [-1, 1]
     */
    public Tensor pixels(int size) {
        Path file = file(path);
        String now = Sha256.file(file);
        if (!now.equals(sha256)) {
            throw LdmException.badInput(path + ": the init image has changed (SHA-256 " + now.substring(0, 10)
                    + ", expected " + sha256.substring(0, 10) + "); pass the original with --init-image");
        }
        return Images.toTensor(Images.read(file), size);
    }

    private static Path file(String path) {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw LdmException.badInput("--init-image: not a usable path '" + path + "'", e);
        }
    }
}
