package dev.ldm.batch;

import static dev.ldm.io.Closeables.closeQuietly;

import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One batch at a time in a local output folder: a lock on {@code .manifest.lock}, held by
 * {@code ldm batch} while it writes and by a Spark driver for the whole job. The operating system
 * releases it when the process dies, so a killed run never blocks the next.
 */
public final class FolderLock implements AutoCloseable {
    static final String FILE = ".manifest.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed and locks it.
     *
     * @throws LdmException bad input when another batch holds the folder or it cannot be used
     */
    public static FolderLock take(Path dir) {
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return new FolderLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw LdmException.badInput(dir + ": another ldm batch is writing to this folder");
        } catch (IOException e) {
            closeQuietly(ch);
            throw LdmException.badInput(dir + ": cannot use as output folder (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
