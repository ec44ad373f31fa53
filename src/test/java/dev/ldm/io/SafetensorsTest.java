package dev.ldm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a.weight", new Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-3f, -7}));
        m.put("b", new Tensor(new long[] {4}, new float[] {0.25f, 0.5f, -0.75f, 2}));
        m.put("scalar", new Tensor(new long[] {}, new float[] {42}));
        return m;
    }

    @Test
    void f32RoundTripIsExactAndKeepsOrderAndMetadata() {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, sample(), Map.of("step", "12"), Safetensors.DType.F32);
        Safetensors.Contents c = Safetensors.readAll(f);
        assertEquals(sample(), c.tensors());
        assertEquals(java.util.List.copyOf(sample().keySet()), java.util.List.copyOf(c.tensors().keySet()));
        assertEquals("12", c.metadata().get("step"));
    }

    @Test
    void f16RoundTripIsExactForHalfRepresentableValues() {
        Path f = dir.resolve("h.safetensors");
        Safetensors.write(f, sample(), Map.of(), Safetensors.DType.F16);
        Map<String, Tensor> back = Safetensors.read(f);
        assertArrayEquals(sample().get("b").data(), back.get("b").data());
        assertEquals(1e-3f, back.get("a.weight").data()[4], 1e-6f);
    }

    @Test
    void halfConversionRoundTripsEveryHalfValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Half.toFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) bits, Half.fromFloat(f), "bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void truncatedFileIsRefused() throws Exception {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, sample(), Map.of(), Safetensors.DType.F32);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        LdmException e = assertThrows(LdmException.class, () -> Safetensors.read(f));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("t.safetensors"), e.getMessage());
    }

    @Test
    void lyingHeaderIsRefused() throws Exception {
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000000,1000000000],\"data_offsets\":[0,4]}}";
        Path f = dir.resolve("lie.safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1f);
        Files.write(f, b.array());
        assertThrows(LdmException.class, () -> Safetensors.read(f));
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).putLong(0);
        Files.write(f, huge.array());
        LdmException e = assertThrows(LdmException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreNeitherWrittenNorLoaded() throws Exception {
        Path f = dir.resolve("nan.safetensors");
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Map<String, Tensor> m = sample();
            m.put("blocks.0.w", new Tensor(new long[] {3}, new float[] {1, bad, 2}));
            for (Safetensors.DType t : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16}) {
                LdmException e = assertThrows(LdmException.class, () -> Safetensors.write(f, m, Map.of(), t));
                assertTrue(e.getMessage().contains("'blocks.0.w' holds 1 non-finite value"), e.getMessage());
                assertTrue(Files.notExists(f));
            }
            // A file written by another tool: refused on load with the tensor's name.
            String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length).put(h).putFloat(0.5f).putFloat(bad);
            Files.write(f, b.array());
            LdmException e = assertThrows(LdmException.class, () -> Safetensors.read(f));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("tensor 'w' holds 1 non-finite value"), e.getMessage());
            Files.delete(f);
        }
    }

    @Test
    void valuesBeyondHalfRangeAreRefusedAsFp16AndKeptAsFp32() {
        Path f = dir.resolve("big.safetensors");
        Map<String, Tensor> m = Map.of("w", new Tensor(new long[] {3}, new float[] {65504f, 65519.99f, 1e5f}));
        LdmException e = assertThrows(LdmException.class, () -> Safetensors.write(f, m, Map.of(), Safetensors.DType.F16));
        assertTrue(e.getMessage().contains("'w' holds 1 value beyond fp16's range"), e.getMessage());
        Safetensors.write(f, m, Map.of(), Safetensors.DType.F32);
        assertArrayEquals(m.get("w").data(), Safetensors.read(f).get("w").data());
    }

    @Test
    void largeTensorsRoundTripAcrossWriteChunks() {
        Path f = dir.resolve("large.safetensors");
        float[] v = new float[200_003];
        for (int i = 0; i < v.length; i++) {
            v[i] = Half.toFloat((short) (i % 0x7c00)) * (i % 2 == 0 ? 1 : -1);
        }
        Map<String, Tensor> m = Map.of("w", new Tensor(new long[] {v.length}, v));
        for (Safetensors.DType t : new Safetensors.DType[] {Safetensors.DType.F32, Safetensors.DType.F16}) {
            Safetensors.write(f, m, Map.of(), t);
            assertArrayEquals(v, Safetensors.read(f).get("w").data());
        }
    }
}
