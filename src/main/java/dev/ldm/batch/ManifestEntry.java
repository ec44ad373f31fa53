package dev.ldm.batch;

import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.image.PngMetadata;
import dev.ldm.io.Json;
import dev.ldm.request.JsonOptions;
import dev.ldm.request.OutputWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a batch's {@code manifest.jsonl}: an image file and everything that made it.
 *
 * @param file the PNG's name inside the output folder
 * @param index its file-wide image index
 * @param source {@code name:line} of its prompt
 * @param request the request of this one image (n = 1, its own seed)
 * @param batch the sampling batch it came from
 * @param model model name
 * @param modelHash model hash
 * @param sha256 SHA-256 of the PNG's bytes (null until written)
 */
public record ManifestEntry(String file, int index, String source, GenerateRequest request, BatchOrigin batch,
        String model, String modelHash, String sha256) {
    /** The fields that decide the PNG's bytes: an existing line with equal ones is the same image. */
    static final String[] KEY = {"file", "request", "batch", "model", "model_hash"};

    public ManifestEntry withSha256(String hash) {
        return new ManifestEntry(file, index, source, request, batch, model, modelHash, hash);
    }

    /** The JSON line (no newline), fields in a fixed order so equal entries give equal bytes. */
    public String toJsonLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("index", index);
        m.put("source", source);
        m.put("request", request);
        m.put("batch", batch);
        m.put("model", model);
        m.put("model_hash", modelHash);
        m.put("sha256", sha256);
        return Json.compact(m);
    }

    /**
     * Whether a PNG is this entry's image: a whole PNG (read to its end, text chunks checked against
     * their CRC) whose {@code ldm} settings record this entry's request, batch, model and model hash,
     * the fields that decide its bytes. A Spark run decides from this which images are finished,
     * since its manifest is written only after the job.
     */
    public boolean isRecordedIn(byte[] png) {
        JsonObject root;
        try {
            String json = PngMetadata.read(png, java.nio.file.Path.of(file)).get(OutputWriter.JSON_CHUNK);
            if (json == null) {
                return false;
            }
            root = JsonOptions.parseObject(json, file);
        } catch (LdmException e) {
            return false;
        }
        JsonObject line = new JsonObject();
        line.addProperty("file", file);
        line.add("request", root.get("request"));
        // a PNG records its batch only when it was sampled with others
        line.add("batch", root.has("batch") ? root.get("batch")
                : Json.gson().toJsonTree(BatchOrigin.single(request.seed())));
        line.add("model", root.get("model"));
        line.add("model_hash", root.get("model_hash"));
        return key(line).equals(key());
    }

    /** The key fields of this entry as compact JSON (see {@link #key(JsonObject)}). */
    String key() {
        return key(JsonOptions.parseObject(toJsonLine(), file));
    }

    /** The key fields of a parsed manifest line, re-serialised so that equal values compare equal. */
    static String key(JsonObject line) {
        JsonObject k = new JsonObject();
        for (String f : KEY) {
            k.add(f, line.get(f));
        }
        return k.toString();
    }
}
