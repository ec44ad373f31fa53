package dev.ldm.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a folder and everything in it read-only for the length of a test: nothing can be created,
 * removed, renamed or written. As root, permission bits do not stop writes, so the tree is also
 * made immutable with {@code chattr -R +i} (ext4 and similar); where neither works the test is
 * skipped, not passed.
 */
final class ReadOnlyFolder implements AutoCloseable {
    private final Path dir;

    private ReadOnlyFolder(Path dir) {
        this.dir = dir;
    }

    static ReadOnlyFolder lock(Path dir) throws Exception {
        ReadOnlyFolder f = new ReadOnlyFolder(dir);
        permissions(dir, "r-xr-xr-x", "r--r--r--");
        if (writable(dir)) {
            chattr("+i", dir);
        }
        if (writable(dir)) {
            f.close();
            Assumptions.abort("cannot make " + dir + " read-only here (root without chattr)");
        }
        return f;
    }

    private static boolean writable(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void chattr(String flag, Path dir) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", "-R", flag, dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no chattr: the caller finds the folder still writable
        }
    }

    private static void permissions(Path dir, String folders, String files) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String mode = Files.isDirectory(p) ? folders : files;
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
            }
        }
    }

    @Override
    public void close() throws Exception {
        chattr("-i", dir);
        permissions(dir, "rwxr-xr-x", "rw-r--r--");
    }
}
