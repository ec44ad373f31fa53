package dev.ldm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxGraph.Dim;
import dev.ldm.onnx.export.OnnxModelWriter;
import dev.ldm.util.Rng;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large ONNX files open from a copy with their weights in a side file: written once, the same
 * bits as the original, and never in the way (a damaged copy is replaced by the original, a cache
 * that cannot be written leaves the original in use, small files are opened as they are).
 */
class MappedWeightsTest {
    private static final int IN = 2048;
    private static final int OUT = 2100; // 17.2 MB of weights: above the threshold

    @TempDir
    static Path tmp;

    private static Path large;
    private static Tensor x;

    /** x [2, IN] → Gelu-free two-layer net with 17 MB of weights, written by ldm's own ONNX writer. */
    @BeforeAll
    static void write() {
        OnnxGraph g = new OnnxGraph("large");
        String in = g.input("x", Dim.named("batch"), Dim.of(IN));
        Rng rng = new Rng(1);
        String w1 = g.initializer("w1", new Tensor(new long[] {OUT, IN}, rng.uniform(OUT * IN, -0.03, 0.03)));
        String b1 = g.initializer("b1", new Tensor(new long[] {OUT}, rng.uniform(OUT, -0.1, 0.1)));
        String h = g.node("Gemm", List.of(in, w1, b1), OnnxAttribute.of("transB", 1L));
        String w2 = g.initializer("w2", new Tensor(new long[] {3, OUT}, rng.uniform(3 * OUT, -0.1, 0.1)));
        String y = g.node("Gemm", List.of(g.node("Sigmoid", List.of(h)), w2), OnnxAttribute.of("transB", 1L));
        g.output(y, "y", Dim.named("batch"), Dim.of(3));
        large = tmp.resolve("large.onnx");
        OnnxModelWriter.write(large, g);
        x = new Tensor(new long[] {2, IN}, new Rng(2).gaussian(2 * IN));
    }

    private static float[] run(OrtSession s) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(OnnxSessions.env(), FloatBuffer.wrap(x.data()), x.shape());
                OrtSession.Result r = s.run(Map.of("x", in))) {
            FloatBuffer fb = ((OnnxTensor) r.get("y").orElseThrow()).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    private static float[] original() throws Exception {
        try (OrtSession.SessionOptions o = OnnxSessions.options(Device.CPU);
                OrtSession s = OnnxSessions.env().createSession(large.toString(), o)) {
            return run(s);
        }
    }

    private static List<Path> copies(Path root) throws Exception {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.toList();
        }
    }

    @Test
    void aLargeFileOpensFromItsCopyWrittenOnceWithTheSameBits() throws Exception {
        assertTrue(Files.size(large) >= MappedWeights.MIN_BYTES);
        Path root = tmp.resolve("cache-a");
        float[] want = original();
        try (OrtSession s = OnnxSessions.open(large, Device.CPU, root)) {
            assertArrayEquals(want, run(s));
        }
        List<Path> made = copies(root);
        assertEquals(1, made.size(), made.toString());
        Path weights = made.get(0).resolve(MappedWeights.WEIGHTS);
        assertTrue(Files.size(weights) >= 4L * OUT * IN, "the weights are in the side file");
        assertTrue(Files.size(made.get(0).resolve(MappedWeights.GRAPH)) < 1 << 20, "and not in the graph");
        FileTime written = Files.getLastModifiedTime(weights);
        try (OrtSession s = OnnxSessions.open(large, Device.CPU, root)) {
            assertArrayEquals(want, run(s));
        }
        assertEquals(written, Files.getLastModifiedTime(weights), "the copy is written once");
        assertEquals(1, copies(root).size());
    }

    @Test
    void aDamagedCopyIsDeletedAndTheOriginalUsed() throws Exception {
        Path root = tmp.resolve("cache-b");
        float[] want = original();
        OnnxSessions.open(large, Device.CPU, root).close();
        Path copy = copies(root).get(0);
        Files.write(copy.resolve(MappedWeights.WEIGHTS), new byte[100]); // torn: far too short
        try (OrtSession s = OnnxSessions.open(large, Device.CPU, root)) {
            assertArrayEquals(want, run(s));
        }
        assertFalse(Files.exists(copy), "the damaged copy is gone, to be written again next time");
    }

    @Test
    void aCacheThatCannotBeWrittenLeavesTheOriginalInUse() throws Exception {
        Path notAFolder = tmp.resolve("cache-c");
        Files.writeString(notAFolder, "a file where the cache folder should be");
        assertTrue(MappedWeights.of(large, OnnxSessions.env(), notAFolder).isEmpty());
        try (OrtSession s = OnnxSessions.open(large, Device.CPU, notAFolder)) {
            assertArrayEquals(original(), run(s));
        }
    }

    @Test
    void smallFilesAreOpenedAsTheyAre() throws Exception {
        OnnxGraph g = new OnnxGraph("small");
        String in = g.input("x", Dim.named("batch"), Dim.of(3));
        g.output(g.node("Sigmoid", List.of(in)), "y", Dim.named("batch"), Dim.of(3));
        Path small = tmp.resolve("small.onnx");
        OnnxModelWriter.write(small, g);
        Path root = tmp.resolve("cache-d");
        assertTrue(MappedWeights.of(small, OnnxSessions.env(), root).isEmpty());
        OnnxSessions.open(small, Device.CPU, root).close();
        assertEquals(List.of(), copies(root));
    }
}
