package dev.ldm.batch;

import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A batch output folder on a local (or mounted) disk: files are written through
 * {@link AtomicFiles} (temporary file, forced to disk, renamed), so a kill leaves a whole file or
 * none, and at worst a {@code .NAME.DIGITS.tmp} that {@link #removeTemps} deletes.
 */
public final class LocalStore implements BatchStore {
    /** Largest file read back (a PNG of the largest image ldm draws is far smaller). */
    static final long MAX_READ = 1L << 30;

    private final Path dir;

    public LocalStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    /** The file inside the folder; names are [a-z0-9.-] only, checked again here. */
    public Path resolve(String name) {
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(BatchStore.checkName(name)).normalize();
        if (!base.equals(p.getParent())) {
            throw new IllegalStateException("unsafe output name " + name);
        }
        return p;
    }

    @Override
    public byte[] read(String name) {
        Path file = resolve(name);
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            if (Files.size(file) > MAX_READ) {
                throw LdmException.badInput(file + ": larger than " + (MAX_READ >> 20) + " MB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw LdmException.failure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String name, byte[] bytes) {
        AtomicFiles.write(resolve(name), bytes);
    }

    @Override
    public void removeTemps(Set<String> names) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (BatchStore.isTempOf(p.getFileName().toString(), names)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw LdmException.failure("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}
