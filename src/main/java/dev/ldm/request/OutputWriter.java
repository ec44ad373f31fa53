package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.image.A1111Parameters;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes generated images as PNGs carrying their settings: an AUTOMATIC1111-compatible
 * {@code parameters} chunk and an {@code ldm} JSON chunk with the full request (read back by
 * {@link StoredSettings}).
 * Names are {@code NNNNN-slug-seed.png}, numbered after the highest index already in the folder,
 * so nothing existing is overwritten.
 */
public final class OutputWriter {
    public static final String JSON_CHUNK = "ldm";
    private static final Pattern INDEXED = Pattern.compile("^(\\d{5})-.*\\.png$");

    private final Path dir;
    private final String modelName;
    private final String modelHash;
    private final DiTRuntime runtime;
    private int next;

    /** A writer whose PNGs record the model and the engine that ran the DiT ({@code runtime}, may be null). */
    public OutputWriter(Path dir, String modelName, String modelHash, DiTRuntime runtime) {
        this.dir = dir;
        this.modelName = modelName;
        this.modelHash = modelHash;
        this.runtime = runtime;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw LdmException.badInput(dir + ": cannot create output folder (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw LdmException.badInput(dir + ": output folder is not writable");
        }
        this.next = highestIndex(dir) + 1;
    }

    private static int highestIndex(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> INDEXED.matcher(p.getFileName().toString()))
                    .filter(java.util.regex.Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        } catch (IOException e) {
            throw LdmException.badInput(dir + ": cannot list output folder", e);
        }
    }

    /** Writes one image under the next free number and returns its path. */
    public Path write(GeneratedImage image) {
        GenerateRequest r = image.request();
        Path file = dir.resolve(fileName(next++, r.prompt(), r.seed()));
        PngWriter.write(file, image.image(), textChunks(image, modelName, modelHash, runtime));
        return file;
    }

    /**
     * Writes PNG bytes already encoded by {@link #encode} for {@code request} (one image) under the
     * next free number, atomically, and returns the path.
     */
    public Path write(GenerateRequest request, byte[] png) {
        Path file = dir.resolve(fileName(next++, request.prompt(), request.seed()));
        dev.ldm.io.AtomicFiles.write(file, png);
        return file;
    }

    /** {@code NNNNN-slug-seed.png}: only [a-z0-9.-], so never a path outside the folder. */
    public static String fileName(int index, String prompt, long seed) {
        return String.format(Locale.ROOT, "%05d-%s-%d.png", index, slug(prompt), seed);
    }

    /** The PNG bytes of an image with its settings: the same image and settings give the same bytes. */
    public static byte[] encode(GeneratedImage image, String modelName, String modelHash, DiTRuntime runtime) {
        return PngWriter.encode(image.image(), textChunks(image, modelName, modelHash, runtime));
    }

    /** The PNG text chunks for a request rendered on its own. */
    public static Map<String, String> textChunks(GenerateRequest r, String modelName, String modelHash) {
        return textChunks(new GeneratedImage(null, r), modelName, modelHash, null);
    }

    /**
     * The PNG text chunks: A1111 {@code parameters} (img2img adds "Denoising strength") and the
     * {@code ldm} JSON with the full request, the batch it was sampled in (when more than one image)
     * and the model, and the engine that ran the DiT ({@code runtime}; omitted when null): the bytes
     * of a re-render repeat only with the same engine.
     */
    public static Map<String, String> textChunks(GeneratedImage image, String modelName, String modelHash,
            DiTRuntime runtime) {
        GenerateRequest r = image.request();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Shift", fmt(r.shift()));
        if (!r.cfgInterval().always()) {
            extra.put(RequestField.CFG_INTERVAL.a1111(), r.cfgInterval().toString());
        }
        if (r.init() != null) {
            extra.put("Denoising strength", fmt(r.init().strength()));
        }
        if (r.draftStrength() != null) {
            extra.put(RequestField.DRAFT_STRENGTH.a1111(), fmt(r.draftStrength()));
        }
        if (r.draftAnchor() != null) {
            extra.put(RequestField.DRAFT_ANCHOR.a1111(), r.draftAnchor().toString());
        }
        if (r.draftColour() != null) {
            extra.put(RequestField.DRAFT_COLOUR.a1111(), r.draftColour());
        }
        if (r.tagGuidance() != null) {
            extra.put(RequestField.TAG_GUIDANCE.a1111(), fmt(r.tagGuidance()));
        }
        Map<String, String> chunks = new LinkedHashMap<>();
        chunks.put("parameters", new A1111Parameters(r.prompt(), r.negative(), r.steps(), samplerLabel(r.sampler()),
                r.cfg(), r.seed(), r.size(), r.size(), modelName, modelHash, extra).format());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("request", r);
        if (image.origin().n() > 1) {
            json.put("batch", image.origin());
        }
        json.put("model", modelName);
        json.put("model_hash", modelHash);
        if (runtime != null) {
            json.put("dit_runtime", runtime.word());
        }
        json.put("software", "ldm 0.1.0");
        chunks.put(JSON_CHUNK, Json.compact(json));
        return chunks;
    }

    static String samplerLabel(String sampler) {
        return Samplers.a1111Label(sampler);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Lower-case ASCII words joined by '-' (accents dropped), at most 40 characters; never a path. */
    public static String slug(String prompt) {
        String s = java.text.Normalizer.normalize(prompt, java.text.Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "image" : s;
    }
}
