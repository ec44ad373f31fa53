package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

class LowFrequencyAnchorTest {
    private static final long[] SHAPE = {2, 3, 4, 6};

    private static Tensor random(long seed) {
        return new Tensor(SHAPE.clone(), new Rng(seed).gaussian((int) Tensor.numel(SHAPE)));
    }

    /** Some nonlinear field that knows nothing of the reference. */
    private static final VelocityField WILD = (x, t) -> {
        float[] v = new float[x.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.tanh(x.data()[i]) * (1 + t) + 0.3 * Math.sin(i));
        }
        return new Tensor(x.shape().clone(), v);
    };

    static float maxDiff(Tensor a, Tensor b) {
        float m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }

    @Test
    void theLowPassIsEveryBlocksMeanAndAProjection() {
        Tensor x = random(1);
        Tensor low = LowFrequencyAnchor.lowPass(x, 2);
        int h = 4;
        int w = 6;
        for (int p = 0; p < 6; p++) {
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    double mean = 0; // the block's mean in double, summed independently
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            mean += x.data()[p * h * w + (y / 2 * 2 + dy) * w + c / 2 * 2 + dx] / 4.0;
                        }
                    }
                    assertEquals(mean, low.data()[p * h * w + y * w + c], 1e-6);
                }
            }
        }
        assertArrayEquals(low.data(), LowFrequencyAnchor.lowPass(low, 2).data(), "φ∘φ = φ");
        assertArrayEquals(x.data(), LowFrequencyAnchor.lowPass(x, 1).data(), "1×1 blocks keep everything");
        Tensor rest = LowFrequencyAnchor.lowPass(x.sub(low), 2); // what the low pass leaves has no block means
        assertTrue(maxDiff(rest, new Tensor(SHAPE.clone(), new float[rest.data().length])) < 1e-6f);
    }

    @Test
    void theDetailIsTheInnerFieldsAndTheLayoutOfTheCleanPredictionTheReferences() {
        Tensor z = random(3);
        Tensor x = random(4);
        for (float t : new float[] {0.9f, 0.5f, 0.05f}) {
            Tensor v = WILD.velocity(x, t);
            Tensor anchored = new LowFrequencyAnchor(WILD, z, 2).velocity(x, t);
            Tensor detail = v.sub(LowFrequencyAnchor.lowPass(v, 2));
            Tensor anchoredDetail = anchored.sub(LowFrequencyAnchor.lowPass(anchored, 2));
            assertTrue(maxDiff(detail, anchoredDetail) < 1e-5f, "the field's own detail at t = " + t);
            Tensor x0 = x.sub(anchored.mul(t)); // x̂_0 = x − t·v'
            assertTrue(maxDiff(LowFrequencyAnchor.lowPass(x0, 2), LowFrequencyAnchor.lowPass(z, 2)) < 1e-4f,
                    "φ(x̂_0) = φ(z) at t = " + t);
        }
    }

    @Test
    void aFieldThatAlreadyLeadsToTheReferenceIsLeftAsItIs() {
        Tensor z = random(5);
        VelocityField toZ = (x, t) -> x.sub(z).div(t); // the straight path's velocity towards z
        Tensor x = random(6);
        for (float t : new float[] {1f, 0.6f, 0.1f}) {
            assertTrue(maxDiff(toZ.velocity(x, t), new LowFrequencyAnchor(toZ, z, 2).velocity(x, t)) < 1e-5f);
        }
    }

    @Test
    void everySamplerEndsOnTheReferencesBlockMeansWithTheFieldsDetail() {
        Tensor z = random(7);
        Tensor eps = random(8);
        float s = 0.7f;
        float[] ts = SdEdit.timesteps(12, 1.0, s);
        for (String name : new String[] {"euler", "heun", "sde"}) {
            Sampler sampler = Samplers.byName(name);
            Tensor free = sampler.sample(WILD, SdEdit.start(z, eps, s), ts, new Rng(9), null);
            Tensor kept = sampler.sample(new LowFrequencyAnchor(WILD, z, 2), SdEdit.start(z, eps, s), ts, new Rng(9),
                    null);
            assertTrue(maxDiff(LowFrequencyAnchor.lowPass(kept, 2), LowFrequencyAnchor.lowPass(z, 2)) < 1e-4f, name);
            assertTrue(maxDiff(LowFrequencyAnchor.lowPass(free, 2), LowFrequencyAnchor.lowPass(z, 2)) > 0.1f,
                    name + ": without the anchor the field moves the layout");
            assertTrue(maxDiff(kept, z) > 0.1f, name + ": the detail is drawn, not copied");
            // 1×1 blocks: all of z is layout, and every sampler lands on it
            Tensor all = sampler.sample(new LowFrequencyAnchor(WILD, z, 1), SdEdit.start(z, eps, s), ts, new Rng(9),
                    null);
            assertTrue(maxDiff(all, z) < 1e-5f, name);
        }
    }

    @Test
    void withAColourPlaneTheLayoutOutsideItIsTheReferencesAndThePlaneTheFields() {
        // three channels, the plane the first: the other two keep z's block means, the first is drawn freely
        ColourPlane plane = new ColourPlane(new double[][] {{1, 0, 0}});
        Tensor z = random(7);
        Tensor eps = random(8);
        float s = 0.7f;
        float[] ts = SdEdit.timesteps(12, 1.0, s);
        Sampler euler = Samplers.byName("euler");
        Tensor full = euler.sample(new LowFrequencyAnchor(WILD, z, 2), SdEdit.start(z, eps, s), ts, new Rng(9), null);
        Tensor none = euler.sample(new LowFrequencyAnchor(WILD, z, 2, null), SdEdit.start(z, eps, s), ts, new Rng(9),
                null);
        assertArrayEquals(full.data(), none.data(), "no plane: the anchor of every channel, bit for bit");
        Tensor part = euler.sample(new LowFrequencyAnchor(WILD, z, 2, plane), SdEdit.start(z, eps, s), ts, new Rng(9),
                null);
        Tensor zLow = LowFrequencyAnchor.lowPass(z, 2);
        Tensor partLow = LowFrequencyAnchor.lowPass(part, 2);
        float kept = 0;
        float moved = 0;
        int hw = (int) (SHAPE[2] * SHAPE[3]);
        for (int n = 0; n < SHAPE[0]; n++) {
            for (int c = 0; c < SHAPE[1]; c++) {
                for (int i = 0; i < hw; i++) {
                    int at = (n * (int) SHAPE[1] + c) * hw + i;
                    float d = Math.abs(partLow.data()[at] - zLow.data()[at]);
                    if (c == 0) {
                        moved = Math.max(moved, d);
                    } else {
                        kept = Math.max(kept, d);
                    }
                }
            }
        }
        assertTrue(kept < 1e-4f, "channels outside the plane keep z's block means: " + kept);
        assertTrue(moved > 0.1f, "the plane's block means are the field's: " + moved);
        assertThrows(IllegalArgumentException.class,
                () -> new LowFrequencyAnchor(WILD, z, 2, new ColourPlane(new double[][] {{1, 0, 0, 0}})));
    }

    @Test
    void aReferenceThatIsNotMadeOfWholeBlocksIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LowFrequencyAnchor(WILD, random(1), 3));
        assertThrows(IllegalArgumentException.class, () -> new LowFrequencyAnchor(WILD, random(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new LowFrequencyAnchor(WILD, new Tensor(new long[] {4, 4}, new float[16]), 2));
    }
}
