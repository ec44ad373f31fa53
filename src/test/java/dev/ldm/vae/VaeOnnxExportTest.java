package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ldm's own ONNX export of the VAE computes what the DJL model computes, at any batch and size. */
class VaeOnnxExportTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    static NDManager manager;
    static Autoencoder vae;

    @BeforeAll
    static void export() {
        manager = NDManager.newBaseManager();
        vae = new Autoencoder(manager, VaeConfig.preset("tiny"), 42);
        VaeOnnxExport.write(vae, dir);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Tensor random(long seed, long... shape) {
        return new Tensor(shape, new Rng(seed).uniform((int) Tensor.numel(shape), -1, 1));
    }

    static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        double worst = 0;
        for (int i = 0; i < expected.data().length; i++) {
            worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(worst <= TOLERANCE, "max |DJL - ONNX| = " + worst);
    }

    private Tensor djlMean(Tensor images) {
        return Nd.toTensor(vae.encode(Nd.fromTensor(manager, images)).get(0));
    }

    private Tensor djlDecode(Tensor latents) {
        return Nd.toTensor(vae.decode(Nd.fromTensor(manager, latents)));
    }

    @Test
    void encoderAgreesWithDjlAtTwoSizes() {
        try (VaeEncoder enc = VaeEncoder.open(dir.resolve(VaeInfo.ENCODER), Device.CPU)) {
            for (long[] shape : new long[][] {{2, 3, 16, 16}, {2, 3, 8, 12}}) {
                Tensor images = random(shape[2], shape);
                Tensor onnx = enc.encode(images);
                assertArrayEquals(new long[] {2, 4, shape[2] / 2, shape[3] / 2}, onnx.shape());
                assertClose(djlMean(images), onnx);
            }
        }
    }

    @Test
    void decoderAgreesWithDjlAtTwoSizes() {
        try (VaeDecoder dec = VaeDecoder.open(dir.resolve(VaeInfo.DECODER), Device.CPU)) {
            assertEquals(4, dec.latentChannels());
            for (long[] shape : new long[][] {{2, 4, 8, 8}, {2, 4, 4, 6}}) {
                Tensor latents = random(shape[3], shape);
                Tensor onnx = dec.decode(latents);
                assertArrayEquals(new long[] {2, 3, shape[2] * 2, shape[3] * 2}, onnx.shape());
                assertClose(djlDecode(latents), onnx);
            }
        }
    }

    @Test
    void threeLevelPresetRoundTripAgreesToo() {
        Autoencoder f4 = new Autoencoder(manager, VaeConfig.preset("f4"), 7);
        Path out = dir.resolve("f4");
        VaeOnnxExport.write(f4, out);
        Tensor images = random(9, 1, 3, 16, 24);
        try (VaeEncoder enc = VaeEncoder.open(out.resolve(VaeInfo.ENCODER), Device.CPU);
                VaeDecoder dec = VaeDecoder.open(out.resolve(VaeInfo.DECODER), Device.CPU)) {
            Tensor z = enc.encode(images);
            assertClose(Nd.toTensor(f4.encode(Nd.fromTensor(manager, images)).get(0)), z);
            assertClose(Nd.toTensor(f4.decode(Nd.fromTensor(manager, z))), dec.decode(z));
        }
    }

    @Test
    void anEncoderThatOutputsBothMomentsYieldsTheMeanHalf() {
        dev.ldm.onnx.export.OnnxGraph graph = new dev.ldm.onnx.export.OnnxGraph("moments");
        dev.ldm.onnx.export.OnnxGraph.Dim any = dev.ldm.onnx.export.OnnxGraph.Dim.named("n");
        String x = graph.input(VaeEncoder.INPUT, any, any, any, any);
        String moments = vae.encoder().export(new dev.ldm.onnx.export.ModuleGraph(graph, vae), x);
        graph.output(moments, VaeEncoder.MOMENTS_OUTPUT, any, any, any, any);
        Path file = dir.resolve("moments.onnx");
        dev.ldm.onnx.export.OnnxModelWriter.write(file, graph);
        Tensor images = random(11, 2, 3, 8, 8);
        try (VaeEncoder enc = VaeEncoder.open(file, Device.CPU)) {
            assertClose(djlMean(images), enc.encode(images));
        }
    }

    @Test
    void exportedWeightsCarryModuleNames() throws Exception {
        byte[] bytes = Files.readAllBytes(dir.resolve(VaeInfo.DECODER));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("decoder.up.1.upsample.conv.weight"));
        assertTrue(text.contains("ldm"));
    }

    @Test
    void wrongShapesAreRefusedWithASentence() {
        try (VaeEncoder enc = VaeEncoder.open(dir.resolve(VaeInfo.ENCODER), Device.CPU);
                VaeDecoder dec = VaeDecoder.open(dir.resolve(VaeInfo.DECODER), Device.CPU)) {
            LdmException e = assertThrows(LdmException.class, () -> enc.encode(random(1, 2, 4, 8, 8)));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
            e = assertThrows(LdmException.class, () -> dec.decode(random(1, 2, 3, 4, 4)));
            assertTrue(e.getMessage().contains("declared shape"), e.getMessage());
            e = assertThrows(LdmException.class, () -> dec.decode(random(1, 4, 4, 4)));
            assertTrue(e.getMessage().contains("[batch, channels, height, width]"), e.getMessage());
        }
    }

    @Test
    void aDecoderIsNotAnEncoder() {
        Path file = dir.resolve(VaeInfo.DECODER);
        LdmException e = assertThrows(LdmException.class, () -> VaeEncoder.open(file, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'sample'"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxIsBadInputNamingTheFile() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "this is not a protobuf");
        LdmException e = assertThrows(LdmException.class, () -> VaeDecoder.open(junk, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        Path missing = dir.resolve("missing.onnx");
        e = assertThrows(LdmException.class, () -> VaeEncoder.open(missing, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void upsamplingIsNearestRepeat() {
        NDArray x = manager.arange(4f).reshape(1, 1, 2, 2);
        float[] up = x.repeat(2, 2).repeat(3, 2).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, up);
    }
}
