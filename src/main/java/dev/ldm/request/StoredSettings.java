package dev.ldm.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.image.A1111Parameters;
import dev.ldm.image.PngMetadata;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generation settings a PNG carries, read back for {@code ldm generate --from-png} and
 * {@code ldm info}: ldm's own {@code ldm} JSON chunk when present (complete: re-renders the same
 * bytes), else an AUTOMATIC1111 {@code parameters} chunk as far as it maps.
 *
 * @param file the PNG
 * @param source the chunk read: {@value OutputWriter#JSON_CHUNK} or {@value A1111Parameters#KEYWORD}
 * @param options the settings (unset where the PNG does not say)
 * @param batch the batch the image was sampled in, or null (rendered alone, or unknown)
 * @param initSha256 SHA-256 of the init image the PNG names, or null
 * @param model model name, or null
 * @param modelHash model hash, or null
 * @param unmapped option name to the reason its stored value cannot be used: an error unless that
 *     option is given on the command line
 * @param ignored stored keys ldm has no use for (A1111's "Clip skip", "Denoising strength", ...)
 * @param ditRuntime the engine that ran the DiT, or null where the PNG does not say (older ldm, A1111)
 */
public record StoredSettings(Path file, String source, RequestOptions options, BatchOrigin batch, String initSha256,
        String model, String modelHash, Map<String, String> unmapped, List<String> ignored, DiTRuntime ditRuntime) {
    /** The request fields of ldm's chunk (the init image is stored apart, with its hash). */
    private static final Map<String, String> REQUEST_FIELDS = JsonOptions.keys(RequestField.PROMPT,
            RequestField.NEGATIVE, RequestField.STEPS, RequestField.CFG, RequestField.SEED, RequestField.N,
            RequestField.SIZE, RequestField.SAMPLER, RequestField.SHIFT, RequestField.CFG_INTERVAL,
            RequestField.DRAFT_STRENGTH, RequestField.DRAFT_ANCHOR, RequestField.DRAFT_COLOUR,
            RequestField.TAG_GUIDANCE);

    /**
     * Reads a PNG's settings.
     *
     * @throws LdmException bad input for a file that is not a PNG, has no settings, or whose settings
     *     are malformed
     */
    public static StoredSettings read(Path png) {
        Map<String, String> chunks = PngMetadata.read(png);
        String json = chunks.get(OutputWriter.JSON_CHUNK);
        if (json != null) {
            return fromLdm(png, json);
        }
        String parameters = chunks.get(A1111Parameters.KEYWORD);
        if (parameters != null) {
            return A1111Settings.map(png, parameters);
        }
        throw LdmException.badInput(png + ": no generation settings (neither an '" + OutputWriter.JSON_CHUNK
                + "' nor a '" + A1111Parameters.KEYWORD + "' text chunk)");
    }

    /** The {@code ldm} chunk: {"request": {...}, "batch": {...}?, "model": ..., "model_hash": ...}. */
    static StoredSettings fromLdm(Path png, String json) {
        String where = png + ": ldm settings";
        try {
            JsonObject root = JsonOptions.parseObject(json, where);
            JsonObject request = object(root, "request", where);
            if (request == null) {
                throw LdmException.badInput(where + ": no 'request'");
            }
            request = request.deepCopy();
            JsonObject init = object(request, "init", where);
            request.remove("init");
            RequestOptions o = JsonOptions.read(request, REQUEST_FIELDS, where);
            if (o.cfgInterval() == null) { // guidance at every t: ldm leaves it out, and did before intervals
                o = o.set(RequestField.CFG_INTERVAL, GuidanceInterval.ALWAYS.toString());
            }
            if (o.draftStrength() == null) { // drawn without a draft: ldm leaves it out
                o = o.set(RequestField.DRAFT_STRENGTH, 1.0);
            }
            if (o.draftAnchor() == null) { // drawn without an anchor (or before anchors): ldm leaves it out
                o = o.set(RequestField.DRAFT_ANCHOR, 0);
            }
            if (o.draftColour() == null) { // drawn with the colour kept (or before --draft-colour): left out
                o = o.set(RequestField.DRAFT_COLOUR, GenerateRequest.KEPT_COLOUR);
            }
            if (o.tagGuidance() == null) { // drawn without tag guidance (or before it): ldm leaves it out
                o = o.set(RequestField.TAG_GUIDANCE, 0.0);
            }
            if (o.prompt() == null) {
                throw LdmException.badInput(where + ": the request has no prompt");
            }
            String sha = null;
            if (init != null) {
                o = o.withInitImage(JsonOptions.primitive(init.get("path"), "init.path", true, where));
                o = o.with("strength", JsonOptions.primitive(init.get("strength"), "init.strength", false, where));
                sha = JsonOptions.primitive(init.get("sha256"), "init.sha256", true, where);
            }
            BatchOrigin batch = batch(object(root, "batch", where), o, where);
            String runtime = text(root, "dit_runtime", where);
            return new StoredSettings(png, OutputWriter.JSON_CHUNK, o, batch, sha, text(root, "model", where),
                    text(root, "model_hash", where), Map.of(), List.of(),
                    runtime == null ? null : DiTRuntime.parse(runtime));
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) { // NumberFormat, UnsupportedOperation, ... from hostile values
            throw LdmException.badInput(where + ": malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static BatchOrigin batch(JsonObject b, RequestOptions o, String where) {
        if (b == null) {
            return null;
        }
        long seed = Long.parseLong(JsonOptions.primitive(b.get("seed"), "batch.seed", false, where));
        int n = Integer.parseInt(JsonOptions.primitive(b.get("n"), "batch.n", false, where));
        int index = Integer.parseInt(JsonOptions.primitive(b.get("index"), "batch.index", false, where));
        BatchOrigin origin;
        try {
            origin = new BatchOrigin(seed, n, index);
        } catch (LdmException e) {
            throw LdmException.badInput(where + ": " + e.getMessage(), e);
        }
        if (o.seed() == null || origin.imageSeed() != o.seed()) {
            throw LdmException.badInput(where + ": batch seed " + seed + " + index " + index
                    + " does not give the image's seed " + o.seed());
        }
        return origin;
    }

    private static JsonObject object(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw LdmException.badInput(where + ": '" + key + "' must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String text(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : JsonOptions.primitive(e, key, true, where);
    }

    /** "name (hash h)", as far as the PNG says. */
    public String modelLabel() {
        String name = model == null ? "unnamed model" : "'" + model + "'";
        return name + (modelHash == null ? "" : " (hash " + modelHash + ")");
    }

    /** The settings as "name: value" lines for people ({@code ldm info}). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings from", source.equals(OutputWriter.JSON_CHUNK) ? "ldm chunk (complete)"
                : "AUTOMATIC1111 parameters chunk (as far as it maps)");
        RequestOptions o = options;
        m.put("prompt", o.prompt());
        m.put("negative prompt", o.negative() == null || o.negative().isEmpty() ? "(none)" : o.negative());
        m.put("steps", o.steps());
        m.put("cfg", o.cfg());
        m.put("seed", o.seed());
        m.put("size", o.size() == null ? null : o.size() + "x" + o.size());
        m.put("sampler", o.sampler());
        m.put("shift", o.shift());
        if (o.cfgInterval() != null) {
            m.put("cfg interval", o.cfgInterval());
        }
        if (o.draftStrength() != null && o.draftStrength() < 1) {
            m.put("draft strength", o.draftStrength());
        }
        if (o.draftAnchor() != null && o.draftAnchor() > 0) {
            m.put("draft anchor", o.draftAnchor() + "x" + o.draftAnchor() + " latent blocks");
        }
        if (GenerateRequest.FREE_COLOUR.equals(o.draftColour())) {
            m.put("draft colour", "free (the anchor keeps the layout outside the colour plane)");
        } else if (GenerateRequest.AUTO_COLOUR.equals(o.draftColour())) {
            m.put("draft colour", "auto (free where the draft misses a hue the prompt names)");
        }
        if (o.tagGuidance() != null && o.tagGuidance() != 0) {
            m.put("tag guidance", o.tagGuidance());
        }
        if (o.initImage() != null) {
            m.put("init image", o.initImage() + (initSha256 == null ? "" : " (sha256 " + initSha256 + ")"));
            m.put("strength", o.strength());
        }
        if (batch != null && batch.n() > 1) {
            m.put("batch", "image " + batch.index() + " of " + batch.n() + " sampled together from seed "
                    + batch.seed());
        }
        m.put("model", model == null && modelHash == null ? null : modelLabel());
        if (ditRuntime != null) {
            m.put("dit runtime", ditRuntime.word());
        }
        unmapped.forEach((k, v) -> m.put("unusable " + k, v));
        if (!ignored.isEmpty()) {
            m.put("ignored", String.join(", ", ignored));
        }
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
