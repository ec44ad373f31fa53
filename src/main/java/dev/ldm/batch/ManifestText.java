package dev.ldm.batch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.io.Sha256;
import dev.ldm.request.JsonOptions;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A batch's {@code manifest.jsonl} as a Spark run writes it: once, after the job, from the plan and
 * the hashes the executors report, in the order and format of {@link BatchManifest} (planned images
 * in plan order, then the lines of other images still in the folder with their recorded hash), so a
 * folder rendered by {@code ldm batch} and by {@code ldm batch --spark} ends with the same file. An
 * existing manifest is read as BatchManifest reads it: a torn last line, lines that do not parse and
 * repeated names are dropped.
 */
public final class ManifestText {
    private final Map<String, String> lines = new LinkedHashMap<>(); // file name → raw JSON line
    private int dropped;

    private ManifestText() {}

    /** The lines of an existing manifest ({@code null}: none). */
    public static ManifestText parse(byte[] bytes) {
        ManifestText m = new ManifestText();
        if (bytes == null) {
            return m;
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                m.keep(bytes, start, i);
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            m.dropped++; // torn: the write did not finish
        }
        return m;
    }

    private void keep(byte[] bytes, int from, int to) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            dropped++;
            return;
        }
        String name = string(parse(line), "file");
        if (name != null && name.matches("[a-z0-9][a-z0-9.-]*\\.png") && !lines.containsKey(name)) {
            lines.put(name, line);
        } else {
            dropped++;
        }
    }

    /** The image file names the lines record, in their order. */
    public List<String> files() {
        return List.copyOf(lines.keySet());
    }

    /** The prompt file names (without folder) that the lines came from. */
    public Set<String> sourceFiles() {
        Set<String> out = new TreeSet<>();
        for (String line : lines.values()) {
            String source = string(parse(line), "source");
            if (source != null && source.lastIndexOf(':') > 0) {
                out.add(source.substring(0, source.lastIndexOf(':')));
            }
        }
        return out;
    }

    /**
     * The new manifest: one line per planned entry (with its PNG hash), then each other line whose
     * PNG is still in {@code store} with the recorded hash.
     */
    public String assemble(List<ManifestEntry> planned, BatchStore store) {
        StringBuilder sb = new StringBuilder();
        Set<String> names = new HashSet<>();
        for (ManifestEntry e : planned) {
            if (e.sha256() == null) {
                throw new IllegalStateException("no hash for " + e.file());
            }
            String line = e.toJsonLine();
            String before = lines.get(e.file());
            if (before != null && !before.equals(line)) {
                dropped++; // stale: other settings, or another image under the name
            }
            sb.append(line).append('\n');
            names.add(e.file());
        }
        for (Map.Entry<String, String> other : lines.entrySet()) {
            if (names.contains(other.getKey())) {
                continue;
            }
            String sha = string(parse(other.getValue()), "sha256");
            byte[] png = store.read(other.getKey());
            if (sha != null && png != null && Sha256.hex(png).equals(sha)) {
                sb.append(other.getValue()).append('\n');
            } else {
                dropped++;
            }
        }
        return sb.toString();
    }

    /** Lines dropped: torn, unparseable, repeated, stale, or naming a PNG that is gone. */
    public int dropped() {
        return dropped;
    }

    private static JsonObject parse(String line) {
        try {
            return JsonOptions.parseObject(line, BatchManifest.FILE);
        } catch (LdmException e) {
            return null;
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
