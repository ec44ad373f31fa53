package dev.ldm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.model.DiT;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.train.DiTTrainer;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA training: attaches a fresh {@link LoraLayer} to every targeted Linear of a DiT and hands the
 * trainer only the adapters' A and B, so the base weights get no gradient, no optimizer state and
 * stay bit-identical. Parameter names are {@code MODULE.lora_A.weight} and {@code MODULE.lora_B.weight}
 * (the PEFT convention), which are also the names in {@link LoraFile}.
 */
public final class LoraNetwork implements DiTTrainer.Trainable {
    public static final String A_SUFFIX = ".lora_A.weight";
    public static final String B_SUFFIX = ".lora_B.weight";
    /** Name of the adapters' initialisation random stream. */
    public static final String INIT_STREAM = "lora.init";

    private final LoraConfig config;
    private final long seed;
    private final String base;

    /**
     * @param config rank, alpha and targets
     * @param seed seeds A's initialisation
     * @param base identifies the frozen weights (the base model hash); a resume must name the same
     */
    public LoraNetwork(LoraConfig config, long seed, String base) {
        this.config = config;
        this.seed = seed;
        this.base = base;
    }

    public LoraConfig config() {
        return config;
    }

    @Override
    public Map<String, NDArray> attach(DiT dit, NDManager manager) {
        Rng rng = Rng.stream(seed, INIT_STREAM);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : targets(dit, config).entrySet()) {
            long[] w = e.getValue().weight().getShape().getShape();         // [out, in]
            LoraLayer layer = new LoraLayer(manager, rng, w[1], w[0], config.rank(), config.scale());
            e.getValue().setAdapter(layer);
            params.put(e.getKey() + A_SUFFIX, layer.a());
            params.put(e.getKey() + B_SUFFIX, layer.b());
        }
        return params;
    }

    @Override
    public String describe() {
        return "lora " + Json.compact(config) + " over " + base;
    }

    /** The Linear layers of {@code model} that {@code config} targets, by module name; at least one. */
    public static Map<String, Linear> targets(Module model, LoraConfig config) {
        Map<String, Linear> out = new LinkedHashMap<>();
        model.modules().forEach((name, m) -> {
            if (m instanceof Linear l && config.matches(name)) {
                out.put(name, l);
            }
        });
        if (out.isEmpty()) {
            throw LdmException.badInput("no layer of the model matches the LoRA targets " + config.targets());
        }
        return out;
    }

    /** Module names of the targeted layers, in model order. */
    public static List<String> moduleNames(Module model, LoraConfig config) {
        return new ArrayList<>(targets(model, config).keySet());
    }

    /**
     * Applies a LoRA file as forward-time adapters with strength {@code weight} (the layers compute
     * W + weight·s·B·A on every call, W untouched). Generation merges instead; this is the reference
     * that merging must match. Arrays live in {@code manager}.
     */
    public static void apply(Module model, LoraFile lora, double weight, NDManager manager, String source) {
        Map<String, Linear> layers = LoraMerge.checkedLayers(model, lora, source);
        NDArray scale = Nd.scalar(manager, (float) (weight * lora.config().scale()));
        layers.forEach((name, l) -> l.setAdapter(new LoraLayer(Nd.fromTensor(manager, lora.a(name)),
                Nd.fromTensor(manager, lora.b(name)), scale)));
    }
}
