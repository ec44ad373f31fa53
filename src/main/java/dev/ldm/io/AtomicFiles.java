package dev.ldm.io;

import dev.ldm.LdmException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Every file ldm writes goes through here: written to a temporary file in the same folder, forced
 * to disk, then renamed over the target. A reader therefore sees the old file or the new one,
 * never a torn one, and a failure leaves nothing behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes a file through a callback that fills an output stream. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            readableByAll(tmp);
            try (var channel = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE);
                    OutputStream out = new java.io.BufferedOutputStream(
                            java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                writer.write(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush(); // libraries that close their stream must not close ours before force()
                    }
                });
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw LdmException.failure("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do: the target was not touched
                }
            }
        }
    }

    /**
     * Deletes the temporary files that earlier writes of {@code target} left when their process was
     * killed part-way (kill -9 and Ctrl-C run no cleanup; a checkpoint's can be gigabytes). Only for
     * targets one process writes at a time: another process's write in progress would fail.
     */
    public static void removeLeftovers(Path target) {
        Path abs = target.toAbsolutePath();
        String prefix = "." + abs.getFileName() + ".";
        if (!Files.isDirectory(abs.getParent())) {
            return;
        }
        try (var files = Files.newDirectoryStream(abs.getParent(), p -> isTemp(p, prefix))) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the next run: they are never read
        }
    }

    /** {@link #removeLeftovers} for every target below {@code dir} (a folder one process writes). */
    public static void removeAllLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(p -> isTemp(p, ".")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // left for the next run: they are never read
        }
    }

    /** Deletes a folder and everything below it (nothing when it does not exist). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            java.util.List<Path> all = new java.util.ArrayList<>(files.toList());
            java.util.Collections.reverse(all); // children before their folder
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@link #deleteTree} for a temporary folder: one that cannot be deleted is left for the system's cleaner. */
    public static void deleteTreeQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover temporary folder holds nothing ldm reads
        }
    }

    /** A temporary file of this class: {@code .NAME.DIGITS.tmp}, its name starting with {@code prefix}. */
    private static boolean isTemp(Path p, String prefix) {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && n.matches("\\..+\\.[0-9]+\\.tmp") && Files.isRegularFile(p);
    }

    /** Temporary files are created owner-only; the finished file gets the usual rw-r--r--. */
    private static void readableByAll(Path tmp) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (m != null && m.contains("No space left")) {
            return "no space left on device";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT); // "operation not permitted", ...
        }
        if (m != null && e.getClass() == IOException.class) {
            return m.toLowerCase(java.util.Locale.ROOT); // the OS's words: "file too large", "disk quota exceeded"
        }
        return m == null ? kind : kind + " " + m;
    }
}
