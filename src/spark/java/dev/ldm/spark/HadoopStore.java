package dev.ldm.spark;

import dev.ldm.LdmException;
import dev.ldm.batch.BatchStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A batch output folder on any Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}
 * ...). A file is written to {@code .NAME.DIGITS.tmp} in the folder, synced and closed, then renamed
 * over its name: on HDFS a rename is atomic, so a reader sees a whole PNG or none; on object stores
 * (S3A) the rename is a copy, but the object appears whole at once. Checksum side files
 * ({@code .NAME.crc} of Hadoop's local file system) are not written.
 */
final class HadoopStore implements BatchStore {
    private final String location;
    private final Path dir;
    private final FileSystem fs;

    HadoopStore(String location, Configuration conf) {
        this.location = location;
        try {
            this.dir = new Path(location);
            FileSystem f = dir.getFileSystem(conf);
            this.fs = f instanceof ChecksumFileSystem c ? c.getRawFileSystem() : f;
        } catch (IOException | IllegalArgumentException e) {
            throw LdmException.badInput("--out " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String location() {
        return location;
    }

    /** Creates the folder (the driver, before the job). */
    void create() {
        try {
            fs.mkdirs(dir);
        } catch (IOException e) {
            throw LdmException.badInput(location + ": cannot use as output folder (" + e.getMessage() + ")", e);
        }
    }

    private Path file(String name) {
        return new Path(dir, BatchStore.checkName(name));
    }

    @Override
    public byte[] read(String name) {
        Path p = file(name);
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw LdmException.failure("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String name, byte[] bytes) {
        Path target = file(name);
        Path tmp = new Path(dir, "." + name + "." + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + ".tmp");
        boolean moved = false;
        try {
            try (FSDataOutputStream o = fs.create(tmp, false)) {
                o.write(bytes);
                o.hsync();
            }
            if (!fs.rename(tmp, target)) {
                // HDFS does not rename over a file: the old one (other settings) goes first
                if (!fs.exists(target) || !fs.delete(target, false) || !fs.rename(tmp, target)) {
                    throw new IOException("rename to " + target + " failed");
                }
            }
            moved = true;
        } catch (IOException e) {
            throw LdmException.failure("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                try {
                    fs.delete(tmp, false);
                } catch (IOException ignored) {
                    // a leftover temporary file is never read, and the next run removes it
                }
            }
        }
    }

    @Override
    public void removeTemps(Set<String> names) {
        try {
            if (!fs.exists(dir)) {
                return;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isFile() && BatchStore.isTempOf(s.getPath().getName(), names)) {
                    fs.delete(s.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw LdmException.failure("cannot clean " + location + ": " + e.getMessage(), e);
        }
    }
}
