package dev.ldm.optim;

import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file (written atomically) holding the weights, the EMA
 * weights and the optimizer moments under prefixes, with the step and the run's configuration in
 * its metadata. Every random stream of a run is a function of (seed, step), so nothing else is
 * needed to continue exactly.
 */
public final class Checkpoint {
    public static final String FILE = "checkpoint.safetensors";

    private Checkpoint() {}

    /** What a checkpoint holds. */
    public record State(long step, Map<String, Tensor> model, Map<String, Tensor> ema, Map<String, Tensor> optimizer,
            Map<String, String> metadata) {
        /**
         * The JSON metadata entry {@code key} read as {@code type}; a missing or unreadable entry is bad
         * input naming {@code file} (a checkpoint of another kind of run, or a damaged one).
         *
         * @param kind what the checkpoint should be, for the message ("VAE", "classifier")
         */
        public <T> T metadata(String key, Class<T> type, String file, String kind) {
            String json = metadata.get(key);
            if (json == null) {
                throw LdmException.badInput(file + ": not a " + kind + " checkpoint (no " + key + ")");
            }
            try {
                return Json.parse(json, type, file);
            } catch (LdmException e) {
                throw e;
            } catch (RuntimeException e) { // Gson wraps a record constructor's validation error
                throw LdmException.badInput(file + ": unreadable " + key + " (" + e.getMessage() + ")", e);
            }
        }
    }

    public static void save(Path dir, State s) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        s.model().forEach((k, v) -> all.put("model." + k, v));
        s.ema().forEach((k, v) -> all.put("ema." + k, v));
        s.optimizer().forEach((k, v) -> all.put("opt." + k, v));
        Map<String, String> meta = new LinkedHashMap<>(s.metadata());
        meta.put("step", Long.toString(s.step()));
        AtomicFiles.removeLeftovers(dir.resolve(FILE)); // of a save that was killed
        Safetensors.write(dir.resolve(FILE), all, meta, Safetensors.DType.F32);
    }

    /**
     * Keeps the checkpoint just saved in {@code dir} as {@code dir/step-NNNNNNN.safetensors}, beside the one
     * that every save replaces: a hard link where the file system has them (a save writes a new file and
     * renames it over {@link #FILE}, so the kept one is never changed), else a copy. Written atomically; an
     * earlier file of the same step (a resumed run passing it again) is replaced.
     *
     * @return the kept file
     */
    public static Path keep(Path dir, long step) {
        Path kept = dir.resolve(keptName(step));
        AtomicFiles.removeLeftovers(kept); // of a keep that was killed: the name below is AtomicFiles' own kind
        Path tmp = dir.resolve("." + kept.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try {
                Files.createLink(tmp, dir.resolve(FILE));
            } catch (UnsupportedOperationException | java.io.IOException e) {
                Files.copy(dir.resolve(FILE), tmp);
            }
            Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (java.io.IOException e) {
            throw LdmException.failure("cannot keep the checkpoint of step " + step + " as " + kept + ": " + e, e);
        }
    }

    /** The name {@link #keep} gives the checkpoint of a step. */
    private static String keptName(long step) {
        return String.format(java.util.Locale.ROOT, "step-%07d.safetensors", step);
    }

    /**
     * A checkpoint file given by the user: the file itself, or a folder holding {@link #FILE}.
     *
     * @param option the option that gave it, for the message
     * @throws LdmException bad input when there is none
     */
    public static Path locate(Path given, String option) {
        Path file = Files.isDirectory(given) ? given.resolve(FILE) : given;
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(option + " " + given + ": no such checkpoint (give a .safetensors file "
                    + "written by a run, or a folder holding " + FILE + ")");
        }
        return file;
    }

    /** Copies checkpoint {@code file} into {@code dir} as its {@link #FILE}, atomically. */
    public static void copy(Path file, Path dir) {
        AtomicFiles.write(dir.resolve(FILE), out -> Files.copy(file, out));
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public static State load(Path dir) {
        return loadFile(dir.resolve(FILE));
    }

    /** A checkpoint file by its own name (a kept one, or one given by the user). */
    public static State loadFile(Path file) {
        Safetensors.Contents c = Safetensors.readAll(file);
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> ema = new LinkedHashMap<>();
        Map<String, Tensor> opt = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                model.put(k.substring(6), v);
            } else if (k.startsWith("ema.")) {
                ema.put(k.substring(4), v);
            } else if (k.startsWith("opt.")) {
                opt.put(k.substring(4), v);
            }
        });
        long step;
        try {
            step = Long.parseLong(c.metadata().get("step"));
        } catch (NumberFormatException e) {
            throw LdmException.badInput(file + ": checkpoint has no valid step", e);
        }
        return new State(step, model, ema, opt, c.metadata());
    }
}
