package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderTest {
    @TempDir
    Path dir;
    NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray images(long seed, long... shape) {
        return Nd.fromTensor(m, VaeOnnxExportTest.random(seed, shape));
    }

    @Test
    void shapesFollowTheDownsamplingFactor() {
        for (String preset : new String[] {"tiny", "f4"}) {
            Autoencoder vae = new Autoencoder(m, VaeConfig.preset(preset), 1);
            int f = vae.config().downsampleFactor();
            NDList post = vae.encode(images(2, 2, 3, 16, 8));
            assertArrayEquals(new long[] {2, 4, 16 / f, 8 / f}, post.get(0).getShape().getShape());
            assertArrayEquals(post.get(0).getShape().getShape(), post.get(1).getShape().getShape());
            assertArrayEquals(new long[] {2, 3, 16, 8}, vae.decode(post.get(0)).getShape().getShape());
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() {
        Autoencoder vae = new Autoencoder(m, VaeConfig.preset("tiny"), 3);
        vae.save(dir, Map.of("note", "test"));
        Autoencoder back = Autoencoder.load(m, dir);
        assertEquals(vae.config(), back.config());
        NDArray x = images(4, 2, 3, 8, 8);
        Tensor z1 = Nd.toTensor(vae.encode(x).get(0));
        Tensor z2 = Nd.toTensor(back.encode(x).get(0));
        assertEquals(z1, z2);
        assertEquals(Nd.toTensor(vae.decode(Nd.fromTensor(m, z1))), Nd.toTensor(back.decode(Nd.fromTensor(m, z2))));
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        VaeConfig c = VaeConfig.preset("tiny");
        Map<String, Tensor> a = new Autoencoder(m, c, 5).stateDict();
        assertEquals(a, new Autoencoder(m, c, 5).stateDict());
        assertFalse(a.equals(new Autoencoder(m, c, 6).stateDict()));
        assertTrue(a.containsKey("encoder.down.0.block.0.conv1.weight"));
        assertTrue(a.containsKey("encoder.down.1.block.0.skip.weight"));   // 8 → 16 channels
        assertTrue(a.containsKey("decoder.up.0.block.0.skip.weight"));     // 16 → 8 channels
        assertFalse(a.containsKey("decoder.up.1.block.0.skip.weight"));   // 16 → 16: identity skip
    }

    @Test
    void weightsOfAnotherArchitectureAreRefused() {
        new Autoencoder(m, VaeConfig.preset("tiny"), 1).save(dir, Map.of());
        VaeConfig other = new VaeConfig(3, 4, 8, new int[] {1, 2, 2}, 1);
        Autoencoder bigger = new Autoencoder(m, other, 1);
        LdmException e = assertThrows(LdmException.class,
                () -> bigger.loadStateDict(dev.ldm.io.Safetensors.read(dir.resolve(Autoencoder.WEIGHTS)), "w"));
        assertEquals(2, e.exitCode());
    }

    @Test
    void encodeRefusesImagesTheFactorDoesNotDivide() {
        Autoencoder vae = new Autoencoder(m, VaeConfig.preset("tiny"), 1);
        LdmException e = assertThrows(LdmException.class, () -> vae.encode(images(1, 1, 3, 7, 8)));
        assertEquals(2, e.exitCode());
        assertThrows(LdmException.class, () -> vae.encode(images(1, 1, 4, 8, 8)));
        assertThrows(LdmException.class, () -> vae.decode(images(1, 1, 3, 4, 4)));
    }

    @Test
    void logVarianceIsClamped() {
        Autoencoder vae = new Autoencoder(m, VaeConfig.preset("tiny"), 1);
        NDArray logvar = vae.encode(images(1, 1, 3, 8, 8).mul(1e6f)).get(1);
        assertTrue(logvar.max().getFloat() <= Autoencoder.LOGVAR_MAX);
        assertTrue(logvar.min().getFloat() >= Autoencoder.LOGVAR_MIN);
    }
}
