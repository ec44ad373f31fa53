package dev.ldm.model;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A DiT on disk: a folder with {@code config.json} (every constructor argument) and
 * {@code model.safetensors} (parameters by dotted name). Both are written atomically; loading
 * builds the model from the config and refuses weights that do not fit it exactly.
 */
public final class DiTWeights {
    /** File name of the weights inside a model folder. */
    public static final String FILE = "model.safetensors";

    private DiTWeights() {}

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors}, storing weights as {@code dtype}. */
    public static void save(DiT model, Path dir, Safetensors.DType dtype) {
        save(model.config(), model.stateDict(), dir, dtype);
    }

    /** Same, for weights already on the host (for example an EMA copy). */
    public static void save(DiTConfig config, Map<String, Tensor> weights, Path dir, Safetensors.DType dtype) {
        Map<String, String> metadata = Map.of("format", "ldm-dit", "config", Json.compact(config));
        Safetensors.write(dir.resolve(FILE), weights, metadata, dtype);
        config.save(dir);
    }

    /**
     * Reads the config and the weights, then builds the model in {@code manager} and loads them. The
     * weights are read first so that a config describing a far larger model than the file holds is
     * refused before its parameters are allocated.
     */
    public static DiT load(NDManager manager, Path dir) {
        DiTConfig config = DiTConfig.load(dir);
        Map<String, Tensor> weights = read(dir, config);
        return DiT.fromWeights(manager, config, weights, dir.resolve(FILE).toString());
    }

    /**
     * Reads {@code dir/model.safetensors} for a model of {@code config}, refusing a config that
     * describes a far larger model than the file holds (before anything of that size is allocated).
     * The tensors' names and shapes are checked by whoever builds the model from them.
     */
    public static Map<String, Tensor> read(Path dir, DiTConfig config) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": file not found");
        }
        Map<String, Tensor> weights = Safetensors.read(file);
        long values = 0;
        for (Tensor t : weights.values()) {
            values += t.data().length;
        }
        long atLeast = (long) config.depth() * 2 * config.hidden() * config.mlpHidden(); // the MLPs alone
        if (atLeast > values) {
            throw LdmException.badInput(dir.resolve(DiTConfig.FILE) + ": describes a model of more than " + atLeast
                    + " parameters, but " + file + " holds " + values + " values");
        }
        return weights;
    }

    /**
     * Loads {@code dir/model.safetensors} into an existing model (for example to resume training);
     * refuses missing, extra or mis-shaped tensors.
     */
    public static void loadInto(DiT model, Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": file not found");
        }
        model.loadStateDict(Safetensors.read(file), file.toString());
    }
}
