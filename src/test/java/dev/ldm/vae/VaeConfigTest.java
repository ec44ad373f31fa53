package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeConfigTest {
    @TempDir
    Path dir;

    @Test
    void presetsHaveTheirDownsamplingFactors() {
        assertEquals(2, VaeConfig.preset("tiny").downsampleFactor());
        assertEquals(4, VaeConfig.preset("f4").downsampleFactor());
        assertEquals(8, VaeConfig.preset("f8").downsampleFactor());
        assertEquals(8, VaeConfig.preset("f8s").downsampleFactor());
        for (String name : VaeConfig.presetNames()) {
            assertEquals(name.equals("f8s") ? 8 : 4, VaeConfig.preset(name).latentChannels(), name);
        }
    }

    @Test
    void unknownPresetIsBadInputListingTheChoices() {
        LdmException e = assertThrows(LdmException.class, () -> VaeConfig.preset("f16"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("tiny, f4, f8"), e.getMessage());
    }

    @Test
    void saveLoadRoundTripAndValueEquality() {
        VaeConfig c = VaeConfig.preset("f4");
        c.save(dir);
        assertEquals(c, VaeConfig.load(dir));
        assertEquals(c.hashCode(), VaeConfig.load(dir).hashCode());
        assertNotEquals(c, VaeConfig.preset("f8"));
    }

    @Test
    void channelMultipliersCannotBeChangedFromOutside() {
        int[] m = {1, 2};
        VaeConfig c = new VaeConfig(3, 4, 8, m, 1);
        m[1] = 99;
        c.channelMultipliers()[0] = 99;
        assertEquals(16, c.channels(1));
        assertEquals(8, c.channels(0));
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(LdmException.class, () -> new VaeConfig(3, 0, 8, new int[] {1}, 1));
        assertThrows(LdmException.class, () -> new VaeConfig(3, 4, 8, new int[] {}, 1));
        assertThrows(LdmException.class, () -> new VaeConfig(3, 4, 8, new int[] {1, -2}, 1));
        assertThrows(LdmException.class, () -> new VaeConfig(3, 4, 8, new int[] {1}, 0));
    }

    @Test
    void loadingABadFileNamesTheFileAndTheProblem() throws Exception {
        Path file = dir.resolve(VaeConfig.FILE);
        Files.writeString(file, "{\"imageChannels\": 3, \"latentChannels\": 4, \"baseChannels\": -8,"
                + " \"channelMultipliers\": [1], \"resBlocksPerLevel\": 1}");
        LdmException e = assertThrows(LdmException.class, () -> VaeConfig.load(dir));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("baseChannels"), e.getMessage());
        Files.writeString(file, "{\"imageChannels\": 3}");
        e = assertThrows(LdmException.class, () -> VaeConfig.load(dir));
        assertTrue(e.getMessage().contains("missing key 'latentChannels'"), e.getMessage());
        Files.writeString(file, "not json");
        e = assertThrows(LdmException.class, () -> VaeConfig.load(dir));
        assertEquals(2, e.exitCode());
        assertThrows(LdmException.class, () -> VaeConfig.load(dir.resolve("nowhere")));
    }

    @Test
    void mismatchIsRefusedNamingBoth() {
        LdmException e = assertThrows(LdmException.class,
                () -> VaeConfig.preset("f4").requireSame(VaeConfig.preset("f8"), "checkpoint"));
        assertTrue(e.getMessage().contains("checkpoint") && e.getMessage().contains("[1, 2, 2, 4]"), e.getMessage());
    }

    @Test
    void vaeInfoRoundTripsAndItsArchitectureLoadsAsAConfig() {
        VaeInfo info = new VaeInfo(4, 4, 0.5, -0.25, 27.5, 1000, VaeConfig.preset("f4"));
        info.write(dir);
        VaeInfo back = VaeInfo.read(dir);
        assertEquals(info, back);
        assertEquals(new LatentNormalization(0.5, -0.25), back.normalization());
        assertEquals(VaeConfig.preset("f4"), VaeConfig.load(dir.resolve("vae")));
        LdmException e = assertThrows(LdmException.class,
                () -> new VaeInfo(8, 4, 0.5, 0, 1, 1, VaeConfig.preset("f4")).validate("x"));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    }
}
