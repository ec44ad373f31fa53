package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.AtomicFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiTConfigTest {
    @TempDir
    Path dir;

    @Test
    void presetsHaveTheDocumentedSizes() {
        DiTConfig xs = DiTConfig.preset("XS", 8, 4, 384, 16);
        assertEquals(new DiTConfig(8, 4, 2, 128, 4, 4, 4.0, 384, 16), xs);
        assertEquals(256, DiTConfig.preset("s", 8, 4, 384, 16).hidden());
        assertEquals(6, DiTConfig.preset("S", 8, 4, 384, 16).depth());
        assertEquals(768, DiTConfig.preset("B", 8, 4, 384, 16).hidden());
        DiTConfig tiny = DiTConfig.preset("tiny/1", 4, 3, 12, 5);
        assertEquals(1, tiny.patchSize());
        assertEquals(16, tiny.tokens());
        assertEquals(32, tiny.hidden());
        assertEquals(1, DiTConfig.preset("tiny", 3, 3, 12, 5).patchSize(), "odd side defaults to patch 1");
        assertEquals(16, xs.tokens());
        assertEquals(16, xs.patchDim());
        assertEquals(512, xs.mlpHidden());
    }

    @Test
    void badValuesAreRefusedAsBadInputWithTheReason() {
        LdmException e = assertThrows(LdmException.class, () -> new DiTConfig(8, 4, 3, 128, 4, 4, 4.0, 384, 16));
        assertEquals(LdmException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("patchSize 3"), e.getMessage());
        assertTrue(assertThrows(LdmException.class, () -> new DiTConfig(8, 4, 2, 130, 4, 4, 4.0, 384, 16))
                .getMessage().contains("heads"));
        assertTrue(assertThrows(LdmException.class, () -> new DiTConfig(8, 4, 2, 128, 0, 4, 4.0, 384, 16))
                .getMessage().contains("depth"));
        assertTrue(assertThrows(LdmException.class, () -> new DiTConfig(8, 4, 2, 128, 4, 4, Double.NaN, 384, 16))
                .getMessage().contains("mlpRatio"));
        assertTrue(assertThrows(LdmException.class, () -> DiTConfig.preset("XXL", 8, 4, 384, 16))
                .getMessage().contains("XXL"));
        assertThrows(LdmException.class, () -> DiTConfig.preset("S/x", 8, 4, 384, 16));
    }

    @Test
    void saveLoadRoundTrip() {
        DiTConfig c = DiTConfig.preset("S/1", 8, 4, 384, 16);
        c.save(dir);
        assertEquals(c, DiTConfig.load(dir));
    }

    @Test
    void missingMalformedOrInvalidFilesAreBadInputNamingTheFile() {
        Path file = dir.resolve(DiTConfig.FILE);
        LdmException missing = assertThrows(LdmException.class, () -> DiTConfig.load(dir));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.getMessage().contains(file.toString()), missing.getMessage());

        AtomicFiles.writeString(file, "{\"inputSize\": 8, \"hidden\": ");
        LdmException malformed = assertThrows(LdmException.class, () -> DiTConfig.load(dir));
        assertEquals(2, malformed.exitCode());
        assertTrue(malformed.getMessage().contains(file.toString()), malformed.getMessage());

        AtomicFiles.writeString(file, "{\"inputSize\": 8, \"inChannels\": 4, \"patchSize\": 2}");
        LdmException invalid = assertThrows(LdmException.class, () -> DiTConfig.load(dir));
        assertEquals(2, invalid.exitCode());
        assertTrue(invalid.getMessage().contains(file.toString()) && invalid.getMessage().contains("hidden"),
                invalid.getMessage());
    }
}
