package dev.ldm.onnx.export;

import dev.ldm.io.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph under construction (onnx.proto GraphProto): float inputs and outputs with fixed or
 * symbolic dimensions, initializers stored as little-endian {@code raw_data}, and nodes added in
 * topological order. Every node input must already exist when the node is added, so a wiring
 * mistake fails here with a name rather than later inside ONNX Runtime.
 */
public final class OnnxGraph {
    /** TensorProto.DataType values used by ldm. */
    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    /** One dimension: a fixed size, or a named symbolic size ({@code batch}, {@code height}). */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim named(String param) {
            return new Dim(0, param);
        }

        ProtoWriter toProto() {
            return param == null ? new ProtoWriter().varint(1, value) : new ProtoWriter().string(2, param);
        }
    }

    private record ValueInfo(String name, List<Dim> dims) {}

    private record Initializer(int dataType, long[] dims, byte[] raw) {}

    private record Node(String name, String opType, List<String> inputs, List<String> outputs,
            List<OnnxAttribute> attributes) {}

    private final String name;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private int counter;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** Declares a float graph input and returns its name. */
    public String input(String value, Dim... dims) {
        define(value);
        inputs.add(new ValueInfo(value, List.of(dims)));
        return value;
    }

    /** Declares {@code value} as the float graph output {@code outputName} (through Identity if renamed). */
    public void output(String value, String outputName, Dim... dims) {
        requireDefined(value);
        if (!value.equals(outputName)) {
            define(outputName);
            nodes.add(new Node(fresh("Identity"), "Identity", List.of(value), List.of(outputName), List.of()));
        }
        outputs.add(new ValueInfo(outputName, List.of(dims)));
    }

    /** A float initializer holding a host tensor. */
    public String initializer(String value, Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.data());
        return addInitializer(value, new Initializer(FLOAT, t.shape().clone(), b.array()));
    }

    /** An INT64 initializer (Slice starts/ends/axes, Reshape shapes). */
    public String int64Initializer(String value, long[] dims, long... data) {
        if (Tensor.numel(dims) != data.length) {
            throw new IllegalArgumentException(value + ": " + data.length + " values for dims " + Arrays.toString(dims));
        }
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return addInitializer(value, new Initializer(INT64, dims.clone(), b.array()));
    }

    public boolean hasInitializer(String value) {
        return initializers.containsKey(value);
    }

    /** Adds a node with one output, named after its op type; returns the output's name. */
    public String node(String opType, List<String> in, OnnxAttribute... attributes) {
        return node(opType, in, 1, attributes).get(0);
    }

    /** Adds a node with {@code outputCount} fresh outputs. An empty input name means "omitted". */
    public List<String> node(String opType, List<String> in, int outputCount, OnnxAttribute... attributes) {
        for (String i : in) {
            if (!i.isEmpty()) {
                requireDefined(i);
            }
        }
        String nodeName = fresh(opType);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < outputCount; k++) {
            String o = outputCount == 1 ? nodeName + "_out" : nodeName + "_out" + k;
            define(o);
            out.add(o);
        }
        nodes.add(new Node(nodeName, opType, List.copyOf(in), out, List.of(attributes)));
        return out;
    }

    /** A name not used before in this graph, derived from {@code hint}. */
    public String fresh(String hint) {
        String n;
        do {
            n = hint + "_" + counter++;
        } while (values.contains(n));
        return n;
    }

    public int nodeCount() {
        return nodes.size();
    }

    /** Serialises as a GraphProto message. */
    ProtoWriter toProto() {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph " + name + " has no outputs");
        }
        ProtoWriter g = new ProtoWriter();
        for (Node n : nodes) {
            g.message(1, nodeProto(n));
        }
        g.string(2, name);
        initializers.forEach((k, v) -> g.message(5, tensorProto(k, v)));
        inputs.forEach(v -> g.message(11, valueInfoProto(v)));
        outputs.forEach(v -> g.message(12, valueInfoProto(v)));
        return g;
    }

    private String addInitializer(String value, Initializer init) {
        define(value);
        initializers.put(value, init);
        return value;
    }

    private void define(String value) {
        if (value == null || value.isEmpty() || !values.add(value)) {
            throw new IllegalArgumentException("graph " + name + ": value name '" + value + "' is empty or already used");
        }
    }

    private void requireDefined(String value) {
        if (!values.contains(value)) {
            throw new IllegalArgumentException("graph " + name + ": value '" + value + "' is used before it is defined");
        }
    }

    private static ProtoWriter nodeProto(Node n) {
        ProtoWriter p = new ProtoWriter();
        n.inputs().forEach(i -> p.string(1, i));
        n.outputs().forEach(o -> p.string(2, o));
        p.string(3, n.name()).string(4, n.opType());
        n.attributes().forEach(a -> p.message(5, a.toProto()));
        return p;
    }

    private static ProtoWriter tensorProto(String value, Initializer init) {
        ProtoWriter t = new ProtoWriter();
        for (long d : init.dims()) {
            t.varint(1, d);
        }
        return t.varint(2, init.dataType()).string(8, value).bytes(9, init.raw());
    }

    /** ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type FLOAT, shape}}}. */
    private static ProtoWriter valueInfoProto(ValueInfo v) {
        ProtoWriter shape = new ProtoWriter();
        v.dims().forEach(d -> shape.message(1, d.toProto()));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, v.name()).message(2, type);
    }
}
