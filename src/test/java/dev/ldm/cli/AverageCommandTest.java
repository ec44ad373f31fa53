package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm average}: the tensor-by-tensor mean of several DiTs, and its refusals. */
class AverageCommandTest {
    @TempDir
    static Path tmp;

    static final DiTConfig TINY = DiTConfig.preset("tiny", 4, 3, 12, 5);

    @BeforeAll
    static void weights() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 1; seed <= 2; seed++) {
                DiTWeights.save(new DiT(m, TINY, seed), tmp.resolve("f32-" + seed), Safetensors.DType.F32);
                DiTWeights.save(new DiT(m, TINY, seed), tmp.resolve("f16-" + seed), Safetensors.DType.F16);
            }
            DiTWeights.save(new DiT(m, DiTConfig.preset("tiny", 8, 3, 12, 5), 1L), tmp.resolve("other"),
                    Safetensors.DType.F32);
        }
    }

    private static Map<String, Tensor> average(String out, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "average";
        all[1] = "--out";
        all[2] = tmp.resolve(out).toString();
        System.arraycopy(args, 0, all, 3, args.length);
        CliRunner.Run r = CliRunner.run(all);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("averaged "), r.out());
        return Safetensors.read(tmp.resolve(out).resolve(DiTWeights.FILE));
    }

    private static Map<String, Tensor> read(String dir) {
        return Safetensors.read(tmp.resolve(dir).resolve(DiTWeights.FILE));
    }

    @Test
    void everyValueIsTheMeanAndTheOrderAndRepeatsDoNotMatter() throws Exception {
        String a = tmp.resolve("f32-1").toString();
        String b = tmp.resolve("f32-2").toString();
        Map<String, Tensor> ab = average("ab", "--dtype", "f32", a, b);
        Map<String, Tensor> ba = average("ba", "--dtype", "f32", b, a);
        Map<String, Tensor> aabb = average("aabb", "--dtype", "f32", a, a, b, b);
        Map<String, Tensor> aa = average("aa", "--dtype", "f32", a, a);
        Map<String, Tensor> wa = read("f32-1");
        Map<String, Tensor> wb = read("f32-2");
        assertEquals(wa.keySet(), ab.keySet());
        boolean differ = false;
        for (String k : wa.keySet()) {
            float[] x = wa.get(k).data();
            float[] y = wb.get(k).data();
            float[] m = ab.get(k).data();
            assertArrayEquals(wa.get(k).shape(), ab.get(k).shape(), k);
            for (int i = 0; i < m.length; i++) {
                // summed in double in the order given, divided once, rounded to float
                assertEquals(Float.floatToIntBits((float) (((double) x[i] + y[i]) / 2)), Float.floatToIntBits(m[i]), k);
                differ |= x[i] != y[i];
            }
            assertArrayEquals(m, ba.get(k).data(), k);
            assertArrayEquals(m, aabb.get(k).data(), k);
            assertArrayEquals(x, aa.get(k).data(), k);
        }
        assertTrue(differ, "the two seeds give different weights");
        assertEquals(Files.readString(tmp.resolve("f32-1").resolve(DiTConfig.FILE)),
                Files.readString(tmp.resolve("ab").resolve(DiTConfig.FILE)));
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(TINY, DiTWeights.load(m, tmp.resolve("ab")).config()); // a DiT that loads
        }
    }

    @Test
    void fp16WeightsAveragedWithThemselvesAreThemselvesBitForBit() throws Exception {
        String a = tmp.resolve("f16-1").toString();
        average("aa16", a, a);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("f16-1").resolve(DiTWeights.FILE)),
                Files.readAllBytes(tmp.resolve("aa16").resolve(DiTWeights.FILE)));
    }

    @Test
    void otherArchitecturesExistingOutputAndBadOptionsAreRefusedInOneLine() {
        String a = tmp.resolve("f32-1").toString();
        String[][] bad = {
            {"average", "--out", tmp.resolve("x1").toString(), a, tmp.resolve("other").toString()},
            {"average", "--out", tmp.resolve("f32-2").toString(), a, a},
            {"average", "--out", tmp.resolve("x2").toString(), "--dtype", "bf16", a, a},
            {"average", "--out", tmp.resolve("x3").toString(), a, tmp.resolve("missing").toString()},
            {"average", "--out", tmp.resolve("x4").toString(), a},
        };
        String[] words = {"config differs", "already exists", "--dtype", "missing", "MODEL"};
        for (int i = 0; i < bad.length; i++) {
            CliRunner.Run r = CliRunner.run(bad[i]);
            assertEquals(2, r.code(), String.join(" ", bad[i]));
            assertTrue(r.err().contains(words[i]), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        for (String x : new String[] {"x1", "x2", "x3", "x4"}) {
            assertFalse(Files.exists(tmp.resolve(x)), x + " was not written");
        }
    }
}
