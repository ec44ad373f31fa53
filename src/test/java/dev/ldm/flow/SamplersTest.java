package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every sampler promises: names, NFE, progress, reproducibility, an untouched noise tensor. */
class SamplersTest {
    private static GaussianTarget target;

    @BeforeAll
    static void start() {
        target = new GaussianTarget(new float[] {0.5f, -1f, 2f}, 0.7f);
    }

    private static List<Sampler> all() {
        return List.of(Samplers.byName("euler"), Samplers.byName("heun"), Samplers.byName("sde"),
                Samplers.byName("sde:0.5"));
    }

    private static Tensor noise(long seed) {
        return new Tensor(new long[] {64, 3}, Rng.stream(seed, "noise").gaussian(64 * 3));
    }

    @Test
    void namesResolveAndRoundTrip() {
        assertInstanceOf(EulerSampler.class, Samplers.byName("euler"));
        assertInstanceOf(HeunSampler.class, Samplers.byName(" Heun "));
        assertEquals(1.0, ((SdeSampler) Samplers.byName("SDE")).noiseLevel());
        assertEquals(0.25, ((SdeSampler) Samplers.byName("sde:0.25")).noiseLevel());
        for (Sampler s : all()) {
            assertEquals(s.name(), Samplers.byName(s.name()).name());
        }
        for (String bad : new String[] {"ddim", "", "sde:", "sde:x", "sde:-1", "euler:2"}) {
            LdmException e = assertThrows(LdmException.class, () -> Samplers.byName(bad), bad);
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
        }
        assertTrue(assertThrows(LdmException.class, () -> Samplers.byName("ddim")).getMessage().contains("euler"));
    }

    @Test
    void anySamplerNameMapsToTheNearestOfLdms() {
        String[][] cases = {{"euler", "euler"}, {"sde:0.5", "sde:0.5"}, {"Euler a", "euler"}, {"k_heun", "heun"},
            {"DPM++ 2M", "heun"}, {"DPM++ 2M Karras", "heun"}, {"DPM2 a", "heun"}, {"DPM++ 2S a", "heun"},
            {"DPM++ SDE", "sde"}, {"DPM++ 2M SDE Heun", "sde"}, {"DPM++ 3M SDE", "sde"}, {"DDIM", "euler"},
            {"LMS", "euler"}, {"UniPC", "euler"}, {"no such sampler", "euler"}};
        for (String[] c : cases) {
            Samplers.Choice choice = Samplers.nearest(c[0]);
            assertEquals(c[1], choice.sampler(), c[0]);
            Samplers.byName(choice.sampler()); // always one ldm has
            assertTrue(!choice.how().isBlank());
        }
        assertTrue(Samplers.nearest("Euler a").how().contains("ancestral noise is not reproduced"));
        for (String name : Samplers.A1111_NAMES) {
            Samplers.byName(Samplers.nearest(name).sampler());
        }
    }

    @Test
    void fieldIsEvaluatedTheDocumentedNumberOfTimes() {
        float[] ts = Schedule.timesteps(9, 3);
        assertEquals(9, new EulerSampler().evaluations(ts));
        assertEquals(17, new HeunSampler().evaluations(ts));
        assertEquals(9, new SdeSampler().evaluations(ts));
        float[] partial = {1f, 0.5f, 0.25f}; // not ending at 0: Heun corrects every step
        assertEquals(4, new HeunSampler().evaluations(partial));
        for (float[] schedule : new float[][] {ts, partial}) {
            for (Sampler s : all()) {
                int[] calls = {0};
                VelocityField counting = (x, t) -> {
                    calls[0]++;
                    return target.velocity(x, t);
                };
                s.sample(counting, noise(1), schedule, new Rng(2), null);
                assertEquals(s.evaluations(schedule), calls[0], s.name());
            }
        }
    }

    @Test
    void listenerSeesEveryStepInOrder() {
        for (Sampler s : all()) {
            List<String> seen = new ArrayList<>();
            s.sample(target, noise(3), Schedule.timesteps(4, 1), new Rng(4), (d, n) -> seen.add(d + "/" + n));
            assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), seen, s.name());
        }
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        float[] ts = Schedule.timesteps(12, 2);
        for (Sampler s : all()) {
            float[] a = s.sample(target, noise(5), ts, Rng.stream(6, "sde"), null).data();
            float[] b = s.sample(target, noise(5), ts, Rng.stream(6, "sde"), null).data();
            assertArrayEquals(a, b, s.name());
        }
    }

    /** The noise is an input: no sampler writes into it, and the result is a new tensor even with no step. */
    @Test
    void noiseIsLeftAsItWas() {
        VelocityField guided = new ClassifierFreeGuidance((x2, t) -> target.velocity(x2, t), 2.5);
        for (Sampler s : all()) {
            for (VelocityField f : new VelocityField[] {target, guided}) {
                Tensor noise = noise(7);
                float[] before = noise.data().clone();
                Tensor out = s.sample(f, noise, Schedule.timesteps(30, 1), new Rng(8), null);
                assertArrayEquals(before, noise.data(), s.name());
                assertTrue(out.data() != noise.data(), s.name());
                assertArrayEquals(noise.shape(), out.shape(), s.name());
            }
        }
    }

    @Test
    void badSchedulesAreBadInput() {
        Tensor x = noise(10);
        for (Sampler s : all()) {
            for (float[] ts : new float[][] {{1f}, {0f, 1f}, {1f, 1f, 0f}, {2f, 0f}}) {
                LdmException e = assertThrows(LdmException.class, () -> s.sample(target, x, ts, new Rng(1), null));
                assertEquals(LdmException.BAD_INPUT, e.exitCode());
            }
        }
    }
}
