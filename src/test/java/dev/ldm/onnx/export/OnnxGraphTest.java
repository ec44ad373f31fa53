package dev.ldm.onnx.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.OnnxSessions;
import dev.ldm.onnx.export.OnnxGraph.Dim;
import dev.ldm.util.Rng;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small graphs written by ldm run in ONNX Runtime and match the DJL ops they stand for. */
class OnnxGraphTest {
    private static final Dim[] NCHW = {Dim.named("batch"), Dim.named("channels"), Dim.named("height"), Dim.named("width")};

    /** Runs a one-input, one-output float graph in ONNX Runtime. */
    static Tensor run(OnnxGraph g, String input, Tensor x, String output) throws Exception {
        try (OrtSession s = OnnxSessions.env().createSession(OnnxModelWriter.toBytes(g), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(OnnxSessions.env(), FloatBuffer.wrap(x.data()), x.shape());
                OrtSession.Result r = s.run(Map.of(input, in))) {
            OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new Tensor(out.getInfo().getShape(), data);
        }
    }

    static Tensor random(long seed, long... shape) {
        return new Tensor(shape, new Rng(seed).uniform((int) Tensor.numel(shape), -1, 1));
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], tol, "element " + i);
        }
    }

    @Test
    void stridedConvMatchesDjlOnOddSizes() throws Exception {
        Tensor w = random(1, 5, 3, 3, 3);
        Tensor b = random(2, 5);
        Tensor x = random(3, 2, 3, 7, 9);
        OnnxGraph g = new OnnxGraph("conv");
        String in = g.input("x", NCHW);
        String y = OnnxOps.conv2d(g, in, g.initializer("w", w), g.initializer("b", b), 3, 2, 1);
        g.output(y, "y", NCHW);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray expected = ai.djl.nn.convolutional.Conv2d.conv2d(Nd.fromTensor(m, x), Nd.fromTensor(m, w),
                    Nd.fromTensor(m, b), new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            assertClose(Nd.toTensor(expected), run(g, "x", x, "y"), 1e-5);
        }
    }

    @Test
    void siluSliceAndUpsampleMatchTheirDefinitions() throws Exception {
        Tensor x = random(4, 1, 4, 2, 3);
        OnnxGraph g = new OnnxGraph("ops");
        String in = g.input("x", NCHW);
        String y = OnnxOps.upsampleNearest2x(g, OnnxOps.slice(g, OnnxOps.silu(g, in), 1, 1, 3));
        g.output(y, "y", NCHW);
        Tensor out = run(g, "x", x, "y");
        assertArrayEquals(new long[] {1, 2, 4, 6}, out.shape());
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    float v = x.data()[((c + 1) * 2 + i / 2) * 3 + j / 2];
                    float silu = (float) (v / (1 + Math.exp(-v)));
                    assertEquals(silu, out.data()[(c * 4 + i) * 6 + j], 1e-6);
                }
            }
        }
    }

    @Test
    void int64InitializersAndIdentityOutputsWork() throws Exception {
        OnnxGraph g = new OnnxGraph("reshape");
        String in = g.input("x", Dim.of(2), Dim.of(3));
        String shape = g.int64Initializer("shape", new long[] {1}, 6);
        g.output(g.node("Reshape", java.util.List.of(in, shape)), "y", Dim.of(6));
        Tensor x = random(5, 2, 3);
        Tensor out = run(g, "x", x, "y");
        assertArrayEquals(new long[] {6}, out.shape());
        assertArrayEquals(x.data(), out.data());
    }

    @Test
    void wiringMistakesFailWhenTheNodeIsAdded() {
        OnnxGraph g = new OnnxGraph("bad");
        g.input("x", Dim.of(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.node("Relu", java.util.List.of("nope")));
        assertTrue(e.getMessage().contains("nope"));
        assertThrows(IllegalArgumentException.class, () -> g.input("x", Dim.of(1)));
        assertThrows(IllegalStateException.class, () -> OnnxModelWriter.toBytes(g));
    }

    @Test
    void modelHeaderFieldsAreWhereOnnxExpectsThem() {
        OnnxGraph g = new OnnxGraph("id");
        g.output(g.input("x", Dim.of(1)), "x");
        byte[] b = OnnxModelWriter.toBytes(g);
        assertEquals(0x08, b[0]);      // ModelProto.ir_version = 1, varint
        assertEquals(8, b[1]);         // IR version 8
        assertEquals(0x12, b[2]);      // ModelProto.producer_name = 2, length-delimited
        assertEquals("ldm", new String(b, 4, b[3], java.nio.charset.StandardCharsets.UTF_8));
    }
}
