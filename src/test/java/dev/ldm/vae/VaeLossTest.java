package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The loss and the metric against closed forms. */
class VaeLossTest {
    @Test
    void klIsZeroAtTheStandardNormalAndMatchesTheClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(0f, VaeLoss.klSum(m.zeros(new ai.djl.ndarray.types.Shape(5)),
                    m.zeros(new ai.djl.ndarray.types.Shape(5))).getFloat(), 1e-7f);
            // KL(N(1, e^2) || N(0, 1)) = ½(1 + e² − 1 − 2) per element
            double one = 0.5 * (1 + Math.exp(2) - 1 - 2);
            float kl = VaeLoss.klSum(m.ones(new ai.djl.ndarray.types.Shape(3)),
                    m.full(new ai.djl.ndarray.types.Shape(3), 2f)).getFloat();
            assertEquals(3 * one, kl, 1e-5);
        }
    }

    @Test
    void psnrOfAKnownErrorIsExact() {
        float[] ref = new float[100];
        float[] rec = new float[100];
        java.util.Arrays.fill(rec, 0.2f); // MSE 0.04 on [-1, 1] = 0.01 on [0, 1] → 20 dB
        assertEquals(20.0, VaeEvaluation.psnr(ref, rec), 1e-5);
        java.util.Arrays.fill(rec, 5f);   // clamped to 1: MSE 1 → 10·log10(4) dB
        assertEquals(10 * Math.log10(4), VaeEvaluation.psnr(ref, rec), 1e-9);
    }
}
