package dev.ldm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ldm.LdmException;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges a LoRA into a model's weights in place: W ← W + weight·(alpha/r)·B·A for every adapted
 * layer. Every layer is checked before any weight changes, so a mismatching file never leaves a
 * half-merged model. The product is computed by the same {@link LoraLayer#adapt} that training uses,
 * so a merged model gives the outputs of the adapted one.
 */
public final class LoraMerge {
    private LoraMerge() {}

    /** Merges {@code lora} with strength {@code weight} into {@code model}; {@code source} names the file in errors. */
    public static void merge(Module model, LoraFile lora, double weight, String source) {
        if (!Double.isFinite(weight)) {
            throw LdmException.badInput(source + ": LoRA weight must be a finite number");
        }
        Map<String, Linear> layers = checkedLayers(model, lora, source);
        for (Map.Entry<String, Linear> e : layers.entrySet()) {
            NDArray w = e.getValue().weight();                                // [out, in]
            try (NDManager tmp = w.getManager().newSubManager()) {
                float scale = (float) (weight * lora.config().scale());
                LoraLayer layer = new LoraLayer(Nd.fromTensor(tmp, lora.a(e.getKey())),
                        Nd.fromTensor(tmp, lora.b(e.getKey())), Nd.scalar(tmp, scale));
                float[] merged = layer.adapt(w).toFloatArray();                 // [out, in]
                dev.ldm.nn.Nd.assign(w, merged);
            }
        }
    }

    /**
     * The model's Linear layers named by the file, after checking that each exists, is a float
     * Linear and has the shape the adapter was made for: [out, in] = [B rows, A columns].
     */
    static Map<String, Linear> checkedLayers(Module model, LoraFile lora, String source) {
        Map<String, Module> modules = model.modules();
        Map<String, Linear> out = new LinkedHashMap<>();
        for (String name : lora.modules()) {
            if (!(modules.get(name) instanceof Linear l)) {
                throw LdmException.badInput(source + ": the model has no linear layer '" + name
                        + "' (the LoRA was made for another architecture)");
            }
            long[] want = {lora.b(name).shape()[0], lora.a(name).shape()[1]};
            long[] have = l.weight().getShape().getShape();
            if (!Arrays.equals(want, have)) {
                throw LdmException.badInput(source + ": layer '" + name + "' has shape " + Arrays.toString(have)
                        + " but the LoRA was made for " + Arrays.toString(want));
            }
            if (l.weight().getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException("LoRA merge needs float32 weights, got " + l.weight().getDataType());
            }
            out.put(name, l);
        }
        return out;
    }
}
