package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import org.junit.jupiter.api.Test;

class LatentNormalizationTest {
    @Test
    void normalizeThenDenormalizeIsTheIdentity() {
        Tensor x = VaeOnnxExportTest.random(1, 2, 4, 3, 3);
        LatentNormalization n = new LatentNormalization(0.7, -0.3);
        Tensor back = n.denormalize(n.normalize(x));
        assertArrayEquals(x.shape(), back.shape());
        assertArrayEquals(x.data(), back.data(), 1e-6f);
    }

    @Test
    void stableDiffusionScalingMultipliesBy018215() {
        Tensor x = new Tensor(new long[] {2}, new float[] {1, -2});
        assertArrayEquals(new float[] {0.18215f, -0.3643f}, LatentNormalization.STABLE_DIFFUSION_1.normalize(x).data(),
                1e-7f);
    }

    @Test
    void shiftComesOffBeforeScaling() {
        Tensor x = new Tensor(new long[] {1}, new float[] {3});
        assertEquals(4f, new LatentNormalization(2, 1).normalize(x).data()[0]);
        assertEquals(3f, new LatentNormalization(2, 1).denormalize(new Tensor(new long[] {1}, new float[] {4})).data()[0]);
    }

    @Test
    void unusableFactorsAreRefused() {
        assertThrows(LdmException.class, () -> new LatentNormalization(0, 0));
        assertThrows(LdmException.class, () -> new LatentNormalization(-1, 0));
        assertThrows(LdmException.class, () -> new LatentNormalization(Double.NaN, 0));
        assertThrows(LdmException.class, () -> new LatentNormalization(1, Double.POSITIVE_INFINITY));
    }
}
