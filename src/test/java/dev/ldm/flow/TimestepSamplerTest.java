package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.util.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TimestepSamplerTest {
    private static double median(float[] t) {
        float[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void logitNormalLiesInsideTheIntervalWithMedianOneHalf() {
        float[] t = new LogitNormalTimesteps(0, 1).sample(new Rng(7), 20000);
        for (float v : t) {
            assertTrue(v > 0f && v < 1f, "t = " + v);
        }
        assertEquals(0.5, median(t), 0.02);
        // The logit of t is N(m, s²): check the spread too (std of the logits ≈ 1).
        double s2 = 0;
        for (float v : t) {
            double z = Math.log(v / (1 - v));
            s2 += z * z;
        }
        assertEquals(1.0, Math.sqrt(s2 / t.length), 0.03);
    }

    @Test
    void logitNormalMeanMovesTheMedianAndExtremesStayInside() {
        float[] shifted = new LogitNormalTimesteps(1, 0.5).sample(new Rng(8), 20000);
        assertEquals(1 / (1 + Math.exp(-1.0)), median(shifted), 0.01);
        for (float v : new LogitNormalTimesteps(0, 40).sample(new Rng(9), 2000)) {
            assertTrue(v > 0f && v < 1f, "t = " + v);
        }
    }

    @Test
    void samplesAreReproducibleForASeed() {
        TimestepSampler ln = TimestepSampler.parse("logit-normal");
        assertArrayEquals(ln.sample(new Rng(42), 100), ln.sample(new Rng(42), 100));
        assertTrue(!Arrays.equals(ln.sample(new Rng(42), 100), ln.sample(new Rng(43), 100)));
        TimestepSampler u = TimestepSampler.parse("uniform");
        assertArrayEquals(u.sample(new Rng(42), 100), u.sample(new Rng(42), 100));
    }

    @Test
    void uniformCoversTheIntervalEvenly() {
        float[] t = new UniformTimesteps().sample(new Rng(10), 20000);
        int[] quarters = new int[4];
        for (float v : t) {
            assertTrue(v >= 0f && v < 1f);
            quarters[(int) (v * 4)]++;
        }
        for (int q : quarters) {
            assertEquals(5000, q, 250);
        }
    }

    @Test
    void parseReadsEveryFormAndSpecRoundTrips() {
        assertEquals(new LogitNormalTimesteps(0, 1), TimestepSampler.parse("logit-normal"));
        assertEquals(new LogitNormalTimesteps(0.5, 1.2), TimestepSampler.parse(" logit-normal:0.5, 1.2 "));
        assertEquals(new UniformTimesteps(), TimestepSampler.parse("uniform"));
        for (String s : new String[] {"logit-normal:-0.3,0.8", "uniform"}) {
            TimestepSampler p = TimestepSampler.parse(s);
            assertEquals(p, TimestepSampler.parse(p.spec()));
        }
    }

    @Test
    void badSpecsAreBadInput() {
        for (String s : new String[] {"", "normal", "logit-normal:1", "logit-normal:a,b", "logit-normal:0,0",
            "logit-normal:0,-1", "logit-normal:NaN,1", "uniform:0,1"}) {
            LdmException e = assertThrows(LdmException.class, () -> TimestepSampler.parse(s), s);
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
        }
        assertThrows(LdmException.class, () -> TimestepSampler.parse(null));
    }
}
