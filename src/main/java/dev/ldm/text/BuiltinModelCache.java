package dev.ldm.text;

import dev.ldm.io.AtomicFiles;
import dev.ldm.io.UserCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The built-in text encoder is a 91 MB ONNX file deflated inside its Maven jar; inflating it costs
 * about 0.8 s of every start. It is therefore copied once to {@code ~/.cache/ldm} (or
 * {@code $XDG_CACHE_HOME/ldm}), named by the jar entry's CRC and size, and opened from there. When
 * no cache folder can be written, callers fall back to reading the jar.
 */
final class BuiltinModelCache {
    private BuiltinModelCache() {}

    /** The cached copy of a classpath resource held in a jar, written on first use; empty if impossible. */
    static Optional<Path> file(String resource) {
        try {
            URL url = BuiltinModelCache.class.getResource(resource);
            if (url == null || !(url.openConnection() instanceof JarURLConnection jar)) {
                return Optional.empty();
            }
            jar.setUseCaches(false);
            var entry = jar.getJarEntry();
            if (entry == null || entry.getSize() < 0) {
                return Optional.empty();
            }
            String name = resource.replaceAll("^.*/", "");
            Path file = UserCache.dir().resolve(String.format("%08x-%d-%s", entry.getCrc(), entry.getSize(), name));
            if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()) {
                return Optional.of(file);
            }
            try (InputStream in = jar.getInputStream()) {
                AtomicFiles.write(file, out -> in.transferTo(out));
            }
            return Files.size(file) == entry.getSize() ? Optional.of(file) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // read-only home, full disk: the jar still works
        }
    }
}
