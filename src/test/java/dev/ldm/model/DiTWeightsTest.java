package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiTWeightsTest {
    @TempDir
    Path dir;

    @Test
    void saveThenLoadGivesIdenticalOutput() {
        DiTConfig c = TinyDiT.config();
        float[] before;
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, c, 7L);
            TinyDiT.perturb(dit, 9);
            before = TinyDiT.forward(dit, TinyDiT.inputs(m, c, 2, 1)).toFloatArray();
            DiTWeights.save(dit, dir, Safetensors.DType.F32);
        }
        assertTrue(Files.isRegularFile(dir.resolve(DiTConfig.FILE)));
        assertTrue(Files.isRegularFile(dir.resolve(DiTWeights.FILE)));
        try (NDManager m = NDManager.newBaseManager()) {
            DiT loaded = DiTWeights.load(m, dir);
            assertEquals(c, loaded.config());
            assertArrayEquals(before, TinyDiT.forward(loaded, TinyDiT.inputs(m, c, 2, 1)).toFloatArray());
        }
    }

    @Test
    void halfPrecisionWeightsGiveNearlyTheSameOutput() {
        DiTConfig c = TinyDiT.config();
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, c, 7L);
            TinyDiT.perturb(dit, 9);
            NDList in = TinyDiT.inputs(m, c, 2, 1);
            float[] before = TinyDiT.forward(dit, in).toFloatArray();
            DiTWeights.save(dit, dir, Safetensors.DType.F16);
            float[] after = TinyDiT.forward(DiTWeights.load(m, dir), in).toFloatArray();
            assertTrue(TinyDiT.maxAbsDiff(before, after) < 0.05, "F16 storage changes the output by "
                    + TinyDiT.maxAbsDiff(before, after));
        }
    }

    @Test
    void weightsOfAnotherWidthAreRefused() {
        DiTConfig c = TinyDiT.config();
        DiTConfig wider = new DiTConfig(c.inputSize(), c.inChannels(), c.patchSize(), 2 * c.hidden(), c.depth(),
                c.heads(), c.mlpRatio(), c.textDim(), c.textLength());
        try (NDManager m = NDManager.newBaseManager()) {
            DiTWeights.save(new DiT(m, c, 7L), dir, Safetensors.DType.F32);
            LdmException intoWider = assertThrows(LdmException.class,
                    () -> DiTWeights.loadInto(new DiT(m, wider, 7L), dir));
            assertEquals(2, intoWider.exitCode());
            assertTrue(intoWider.getMessage().contains("shape"), intoWider.getMessage());
            wider.save(dir);
            LdmException mismatch = assertThrows(LdmException.class, () -> DiTWeights.load(m, dir));
            assertEquals(2, mismatch.exitCode());
            assertTrue(mismatch.getMessage().contains(DiTWeights.FILE), mismatch.getMessage());
        }
    }

    @Test
    void missingFilesAndBadJsonAreBadInputNamingTheFile() {
        try (NDManager m = NDManager.newBaseManager()) {
            LdmException noConfig = assertThrows(LdmException.class, () -> DiTWeights.load(m, dir));
            assertEquals(2, noConfig.exitCode());
            assertTrue(noConfig.getMessage().contains(DiTConfig.FILE), noConfig.getMessage());

            TinyDiT.config().save(dir);
            LdmException noWeights = assertThrows(LdmException.class, () -> DiTWeights.load(m, dir));
            assertEquals(2, noWeights.exitCode());
            assertTrue(noWeights.getMessage().contains(DiTWeights.FILE), noWeights.getMessage());

            AtomicFiles.writeString(dir.resolve(DiTConfig.FILE), "not json at all {");
            LdmException badJson = assertThrows(LdmException.class, () -> DiTWeights.load(m, dir));
            assertEquals(2, badJson.exitCode());
            assertTrue(badJson.getMessage().contains(DiTConfig.FILE), badJson.getMessage());
        }
    }
}
