package dev.ldm.onnx.export;

import ai.djl.ndarray.NDArray;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A graph being filled from a {@link Module} tree. Blocks emit their own nodes next to their
 * forward code and ask for their parameters here; each parameter becomes an initializer under its
 * dotted module name ({@code encoder.down.0.block.0.conv1.weight}), so the ONNX file and the
 * safetensors file name every weight the same way.
 */
public final class ModuleGraph {
    private final OnnxGraph graph;
    private final Map<NDArray, String> names = new IdentityHashMap<>();

    public ModuleGraph(OnnxGraph graph, Module root) {
        this.graph = graph;
        root.parameters().forEach((name, p) -> names.put(p, name));
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** The initializer holding {@code parameter}, added on first use. */
    public String param(NDArray parameter) {
        String name = names.get(parameter);
        if (name == null) {
            throw new IllegalArgumentException("parameter of shape " + parameter.getShape()
                    + " does not belong to the exported module");
        }
        if (!graph.hasInitializer(name)) {
            graph.initializer(name, Nd.toTensor(parameter));
        }
        return name;
    }
}
