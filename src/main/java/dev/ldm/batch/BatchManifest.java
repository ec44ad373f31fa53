package dev.ldm.batch;

import static dev.ldm.io.Closeables.closeQuietly;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Sha256;
import dev.ldm.request.JsonOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A batch output folder's {@code manifest.jsonl}: one JSON line per image, appended (and forced to
 * disk) only after the image's PNG has been renamed into place, so every line names a complete
 * file. Opening it takes a lock on the folder, drops a torn last line (a kill during the append),
 * lines that do not parse, lines whose PNG is gone or no longer has the recorded SHA-256, and
 * duplicates, rewriting the file atomically if anything was dropped. Whatever is left is trusted.
 */
public final class BatchManifest implements AutoCloseable {
    public static final String FILE = "manifest.jsonl";
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.png");

    private final Path dir;
    private final FolderLock lock;
    private final Map<String, String> lines = new LinkedHashMap<>(); // file name → raw JSON line
    private FileChannel appender;
    private int dropped;

    private BatchManifest(Path dir, FolderLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** Locks the folder (one batch at a time) and loads and repairs its manifest. */
    public static BatchManifest open(Path dir) {
        FolderLock lock = FolderLock.take(dir);
        try {
            BatchManifest m = new BatchManifest(dir, lock);
            m.load();
            return m;
        } catch (IOException e) {
            lock.close();
            throw LdmException.badInput(dir + ": cannot use as output folder (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private void load() throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                keepIfValid(bytes, start, i);
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            dropped++; // torn: the last append did not finish
        }
        if (dropped > 0) {
            rewrite();
        }
    }

    private void keepIfValid(byte[] bytes, int from, int to) {
        String line = utf8(bytes, from, to);
        JsonObject o = line == null ? null : parse(line);
        String name = o == null ? null : string(o, "file");
        boolean ok = name != null && SAFE_NAME.matcher(name).matches() && !lines.containsKey(name)
                && pngMatches(name, string(o, "sha256"));
        if (ok) {
            lines.put(name, line);
        } else {
            dropped++;
        }
    }

    private boolean pngMatches(String name, String sha) {
        Path png = dir.resolve(name);
        return sha != null && Files.isRegularFile(png) && Sha256.file(png).equals(sha);
    }

    /**
     * Drops lines for the planned files whose settings differ (the batch file or options changed)
     * and returns the planned files that are done: PNG and matching line both present.
     */
    public Set<String> reconcile(List<ManifestEntry> planned) {
        Set<String> done = new HashSet<>();
        boolean changed = false;
        for (ManifestEntry e : planned) {
            String line = lines.get(e.file());
            if (line == null) {
                continue;
            }
            if (ManifestEntry.key(parse(line)).equals(e.key())) {
                done.add(e.file());
            } else {
                lines.remove(e.file());
                dropped++;
                changed = true;
            }
        }
        if (changed) {
            rewrite();
        }
        return done;
    }

    /**
     * Appends one complete line, forced to disk; call only after the entry's PNG is in place. A
     * write that fails part-way (a full disk) is cut off again, so the file keeps whole lines only.
     */
    public void append(ManifestEntry entry) {
        String line = entry.toJsonLine();
        ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long size = -1;
        try {
            if (appender == null) {
                appender = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            size = appender.size();
            while (buf.hasRemaining()) {
                appender.write(buf);
            }
            appender.force(false);
        } catch (IOException e) {
            cutBack(size);
            throw LdmException.failure("cannot append to " + dir.resolve(FILE) + ": "
                    + String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT), e);
        }
        lines.put(entry.file(), line);
    }

    /** Truncates a torn append back to {@code size} bytes (the next open would drop it anyway). */
    private void cutBack(long size) {
        if (appender != null && size >= 0) {
            try {
                appender.truncate(size);
                appender.force(false);
            } catch (IOException ignored) {
                // the torn line stays; load() drops it on the next run
            }
        }
    }

    /**
     * Puts the planned files' lines first, in plan order, then any others in their order, so a
     * resumed run ends with the same manifest as an uninterrupted one. Rewrites only if needed.
     */
    public void finish(List<String> order) {
        Map<String, String> sorted = new LinkedHashMap<>();
        for (String f : order) {
            if (lines.containsKey(f)) {
                sorted.put(f, lines.get(f));
            }
        }
        lines.forEach(sorted::putIfAbsent);
        if (!new ArrayList<>(sorted.keySet()).equals(new ArrayList<>(lines.keySet()))) {
            lines.clear();
            lines.putAll(sorted);
            rewrite();
        }
    }

    /** Lines dropped on open or by {@link #reconcile} (torn, invalid, stale, or naming a missing PNG). */
    public int dropped() {
        return dropped;
    }

    /** The prompt file names (without folder) that the recorded lines came from. */
    public Set<String> sourceFiles() {
        Set<String> out = new java.util.TreeSet<>();
        for (String line : lines.values()) {
            JsonObject o = parse(line);
            String source = o == null ? null : string(o, "source");
            if (source != null && source.lastIndexOf(':') > 0) {
                out.add(source.substring(0, source.lastIndexOf(':')));
            }
        }
        return out;
    }

    /** Lines now recorded. */
    public int size() {
        return lines.size();
    }

    private void rewrite() {
        closeQuietly(appender);
        appender = null;
        StringBuilder sb = new StringBuilder();
        lines.values().forEach(l -> sb.append(l).append('\n'));
        AtomicFiles.writeString(dir.resolve(FILE), sb.toString());
    }

    private static String utf8(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static JsonObject parse(String line) {
        try {
            return JsonOptions.parseObject(line, FILE);
        } catch (LdmException e) {
            return null;
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }


    @Override
    public void close() {
        closeQuietly(appender);
        lock.close();
    }
}
