package dev.ldm.io;

import java.nio.file.Path;

/**
 * ldm's per-user cache folder, {@code $XDG_CACHE_HOME/ldm} or {@code ~/.cache/ldm}: copies and
 * conversions that only make starts faster. Everything in it can be deleted at any time; a reader
 * that cannot use it works from the original files instead.
 */
public final class UserCache {
    private UserCache() {}

    public static Path dir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ldm");
    }
}
