package dev.ldm.onnx.export;

import dev.ldm.io.AtomicFiles;
import java.nio.file.Path;

/**
 * Wraps a graph in an onnx.proto ModelProto and writes it. IR version 8 with the default-domain
 * opset 17 is what ONNX Runtime 1.14 and later (and every current exporter) understand.
 */
public final class OnnxModelWriter {
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    public static final String PRODUCER = "ldm";

    // ModelProto field numbers.
    private static final int IR_VERSION_FIELD = 1;
    private static final int PRODUCER_NAME = 2;
    private static final int PRODUCER_VERSION = 3;
    private static final int GRAPH = 7;
    private static final int OPSET_IMPORT = 8;

    private OnnxModelWriter() {}

    /** The serialised ModelProto. */
    public static byte[] toBytes(OnnxGraph graph) {
        ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, OPSET); // OperatorSetIdProto{domain, version}
        return new ProtoWriter()
                .varint(IR_VERSION_FIELD, IR_VERSION)
                .string(PRODUCER_NAME, PRODUCER)
                .string(PRODUCER_VERSION, producerVersion())
                .message(GRAPH, graph.toProto())
                .message(OPSET_IMPORT, opset)
                .toByteArray();
    }

    /** Writes {@code file} atomically. */
    public static void write(Path file, OnnxGraph graph) {
        AtomicFiles.write(file, toBytes(graph));
    }

    private static String producerVersion() {
        String v = OnnxModelWriter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
