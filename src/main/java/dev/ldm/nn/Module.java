package dev.ldm.nn;

import ai.djl.ndarray.NDArray;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network part with named parameters and named children, in the style of DJL blocks and
 * PyTorch modules: {@link #parameters()} lists every parameter under its dotted path
 * ({@code blocks.0.attn.qkv.weight}), which is also its safetensors name.
 *
 * <p>Parameters live in the manager given at construction, for the life of the module. Forward
 * methods are plain functions of NDArrays; callers open an {@link ai.djl.ndarray.NDScope} per step
 * so that intermediates are freed.
 */
public abstract class Module {
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter under {@code name} and returns it. */
    protected NDArray param(String name, NDArray value) {
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name);
        }
        params.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected <M extends Module> M child(String name, M module) {
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name " + name);
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter, depth first, by dotted name. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    /**
     * Every descendant module, depth first, by dotted name ({@code blocks.0.attn.qkv}), as PyTorch's
     * {@code named_modules}: how adapters (LoRA) find the layers they wrap.
     */
    public Map<String, Module> modules() {
        Map<String, Module> out = new LinkedHashMap<>();
        children.forEach((k, m) -> {
            out.put(k, m);
            m.modules().forEach((sub, d) -> out.put(k + "." + sub, d));
        });
        return out;
    }

    private void collect(String prefix, Map<String, NDArray> out) {
        params.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", out));
    }

    public long parameterCount() {
        long n = 0;
        for (NDArray p : parameters().values()) {
            n += p.size();
        }
        return n;
    }

    public void setRequiresGradient(boolean requires) {
        for (NDArray p : parameters().values()) {
            p.setRequiresGradient(requires);
        }
    }

    /** Copies every parameter out as host tensors, by name. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters().forEach((k, v) -> out.put(k, Nd.toTensor(v)));
        return out;
    }

    /**
     * Loads values into this module's parameters in place. Every parameter must be present with the
     * same shape; extra names are refused too, so a file from another architecture never half-loads.
     */
    public void loadStateDict(Map<String, Tensor> state, String source) {
        Map<String, NDArray> own = parameters();
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                throw LdmException.badInput(source + ": missing tensor '" + e.getKey() + "'");
            }
            long[] want = e.getValue().getShape().getShape();
            if (!Arrays.equals(want, t.shape())) {
                throw LdmException.badInput(source + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the model config needs " + Arrays.toString(want));
            }
        }
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) {
                throw LdmException.badInput(source + ": unexpected tensor '" + name
                        + "' (the weights belong to a different architecture)");
            }
        }
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
            Nd.assign(e.getValue(), state.get(e.getKey()).data());
        }
    }
}
