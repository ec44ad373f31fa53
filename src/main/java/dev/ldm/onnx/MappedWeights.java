package dev.ldm.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ldm.io.UserCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A large ONNX file in the form ONNX Runtime opens fastest: the same graph, with its weights moved
 * out of the protobuf into a side file that ONNX Runtime maps into memory instead of parsing and
 * copying them. For the 91 MB built-in text encoder this cut opening its session from 1.28 s to
 * 0.35 s (875 to 280 ms of CPU; median of 5 on 2 cores busy with other work), the largest single
 * part of {@code ldm generate}'s start.
 *
 * <p>ONNX Runtime writes the copy itself (a session at level "no optimisation" that saves its
 * graph, {@code session.optimized_model_external_initializers_file_name}), so the graph is the one
 * in the file, and sessions opened from either form with the same options apply the same
 * optimisations and compute the same bits (tested). The copy lives in
 * {@code <user cache>/onnx/<ONNX Runtime version>-<size>-<CRC32C of the file>/}, written once into a
 * temporary folder, forced to disk and renamed into place; any failure (read-only home, full disk)
 * leaves the original file in use, and a copy that ONNX Runtime cannot open is deleted.
 */
final class MappedWeights {
    /** Files below this open fast enough as they are (every VAE ldm ships is under 3 MB). */
    static final long MIN_BYTES = 16L << 20;
    static final String GRAPH = "model.onnx";
    static final String WEIGHTS = "weights.bin";

    private MappedWeights() {}

    /** The folder of the copies in ldm's user cache. */
    static Path cacheRoot() {
        return UserCache.dir().resolve("onnx");
    }

    /**
     * The graph file of {@code file}'s copy under {@code root}, written first if needed; empty for a
     * small file or when no copy can be written.
     */
    static Optional<Path> of(Path file, OrtEnvironment env, Path root) {
        try {
            long size = Files.size(file);
            if (size < MIN_BYTES) {
                return Optional.empty();
            }
            String key = String.format("%s-%d-%08x", env.getVersion(), size, crc32c(file));
            Path dir = root.resolve(key);
            if (!complete(dir)) {
                write(env, file, dir);
            }
            return complete(dir) ? Optional.of(dir.resolve(GRAPH)) : Optional.empty();
        } catch (IOException | OrtException | RuntimeException e) {
            return Optional.empty(); // the original file still works
        }
    }

    /** Deletes a copy that could not be opened, so that the next start writes it again. */
    static void discard(Path graph) {
        deleteQuietly(graph.getParent());
    }

    private static boolean complete(Path dir) {
        return Files.isRegularFile(dir.resolve(GRAPH)) && Files.isRegularFile(dir.resolve(WEIGHTS));
    }

    private static void write(OrtEnvironment env, Path file, Path dir) throws IOException, OrtException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp-");
        try {
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default permissions stay
            }
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                o.setIntraOpNumThreads(1);
                o.setOptimizedModelFilePath(tmp.resolve(GRAPH).toString());
                o.addConfigEntry("session.optimized_model_external_initializers_file_name", WEIGHTS);
                o.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
                env.createSession(file.toString(), o).close();
            }
            if (!complete(tmp)) {
                return;
            }
            for (String name : List.of(WEIGHTS, GRAPH)) {
                try (FileChannel c = FileChannel.open(tmp.resolve(name), StandardOpenOption.WRITE)) {
                    c.force(true); // a crash must not leave a renamed copy with unwritten weights
                }
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process wrote it first
            }
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** CRC32C of the whole file (hardware-accelerated: tens of milliseconds for 91 MB in the page cache). */
    static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            while (c.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return crc.getValue();
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // a leftover in the cache costs disk space, not correctness: it is never renamed into place
        }
    }
}
