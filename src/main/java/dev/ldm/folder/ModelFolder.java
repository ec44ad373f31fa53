package dev.ldm.folder;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.LdmException;
import dev.ldm.flow.ColourPlane;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A model folder on disk: its manifest plus resolution of the paths it names. */
public record ModelFolder(Path dir, ModelManifest manifest) {
    public static final String MANIFEST = "model.json";
    /** The shipped model, the default of every command that takes {@code --model}. */
    public static final String DEFAULT = "models/default";
    /**
     * Optional: prompts the model draws well, one per line, which {@code ldm finetune} draws with the base model
     * and trains on beside the user's images unless told otherwise (prior preservation).
     */
    public static final String PRIOR_PROMPTS = "prior-prompts.txt";

    /**
     * A relative model path that does not exist here is looked up under the ldm installation
     * ({@code ldm.home}, set by the launcher), so {@code models/default} works from any folder.
     */
    public static Path locate(Path dir) {
        if (Files.exists(dir) || dir.isAbsolute()) {
            return dir;
        }
        String home = System.getProperty("ldm.home");
        if (home != null && Files.exists(Path.of(home).resolve(dir))) {
            return Path.of(home).resolve(dir);
        }
        return dir;
    }

    public static ModelFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw LdmException.badInput(dir + ": model folder not found");
        }
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(dir + ": not a model folder (no " + MANIFEST + ")");
        }
        ModelManifest m = Json.read(file, ModelManifest.class);
        m.validate(file.toString());
        return new ModelFolder(dir, m);
    }

    /** Resolves a path named by the manifest; it must stay inside the folder. */
    public Path resolve(String relative) {
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir.normalize())) {
            throw LdmException.badInput(dir.resolve(MANIFEST) + ": path '" + relative + "' leaves the model folder");
        }
        return p;
    }

    public Path ditDir() {
        return resolve(manifest.dit());
    }

    /** The draft model's folder, or null when the model has none. */
    public ModelFolder draftFolder() {
        if (manifest.draft() == null) {
            return null;
        }
        Path d = resolve(manifest.draft());
        try {
            return open(d);
        } catch (dev.ldm.LdmException e) {
            throw LdmException.badInput(dir.resolve(MANIFEST) + ": draft model: " + e.getMessage(), e);
        }
    }

    public String name() {
        return manifest.name() == null ? dir.getFileName().toString() : manifest.name();
    }

    /**
     * The hash that names what this folder draws, recorded in PNGs, eval reports and the API as A1111's
     * "Model hash": the DiT weights' {@link #hash()}, or for a cascade the first 10 hex digits of
     * SHA-256 over both stages' hashes, so a changed draft changes it too.
     */
    public String modelHash() {
        ModelFolder draft = draftFolder();
        if (draft == null) {
            return hash();
        }
        try {
            byte[] both = (hash() + " draft " + draft.hash()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(both)).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Short hash of the DiT weights (first 10 hex digits of SHA-256): what a LoRA made for this model
     * records as its base; {@link #modelHash()} names the whole model.
     */
    public String hash() {
        Path weights = ditDir().resolve("model.safetensors");
        try (InputStream in = Files.newInputStream(weights)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 10);
        } catch (IOException e) {
            throw LdmException.badInput(weights + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write() {
        Json.write(dir.resolve(MANIFEST), manifest);
    }

    /**
     * Sets {@code vae.colourPlane} and {@code provenance.colour_plane} in model.json (atomically), editing
     * the file's JSON tree so that every other value keeps its text (a number stays 18036, not 18036.0).
     */
    public void writeColourPlane(ColourPlane plane, String provenance) {
        Path file = dir.resolve(MANIFEST);
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            JsonArray rows = new JsonArray();
            for (List<Double> row : plane.rows()) {
                JsonArray r = new JsonArray();
                row.forEach(r::add);
                rows.add(r);
            }
            root.getAsJsonObject("vae").add("colourPlane", rows);
            JsonObject prov = root.has("provenance") && root.get("provenance").isJsonObject()
                    ? root.getAsJsonObject("provenance") : new JsonObject();
            prov.addProperty("colour_plane", provenance);
            root.add("provenance", prov);
            AtomicFiles.writeString(file, Json.pretty(root) + "\n");
        } catch (IOException | RuntimeException e) {
            throw LdmException.badInput(file + ": cannot write the colour plane (" + e.getMessage() + ")", e);
        }
        open(dir); // what was written reads back as a valid model folder
    }
}
