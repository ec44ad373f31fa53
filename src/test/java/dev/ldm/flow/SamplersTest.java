package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.ldm.LdmException;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every sampler promises: names, NFE, progress, reproducibility, flat memory. */
class SamplersTest {
    private static NDManager m;
    private static GaussianTarget target;

    @BeforeAll
    static void start() {
        m = NDManager.newBaseManager();
        target = new GaussianTarget(m, new float[] {0.5f, -1f, 2f}, 0.7f);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static List<Sampler> all() {
        return List.of(Samplers.byName("euler"), Samplers.byName("heun"), Samplers.byName("sde"),
                Samplers.byName("sde:0.5"));
    }

    private static NDArray noise(NDManager local, long seed) {
        return local.create(Rng.stream(seed, "noise").gaussian(64 * 3), new Shape(64, 3));
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
                try (NDManager local = m.newSubManager()) {
                    s.sample(counting, noise(local, 1), schedule, new Rng(2), null);
                }
                assertEquals(s.evaluations(schedule), calls[0], s.name());
            }
        }
    }

    @Test
    void listenerSeesEveryStepInOrder() {
        for (Sampler s : all()) {
            List<String> seen = new ArrayList<>();
            try (NDManager local = m.newSubManager()) {
                s.sample(target, noise(local, 3), Schedule.timesteps(4, 1), new Rng(4),
                        (d, n) -> seen.add(d + "/" + n));
            }
            assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), seen, s.name());
        }
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        float[] ts = Schedule.timesteps(12, 2);
        for (Sampler s : all()) {
            try (NDManager local = m.newSubManager()) {
                float[] a = s.sample(target, noise(local, 5), ts, Rng.stream(6, "sde"), null).toFloatArray();
                float[] b = s.sample(target, noise(local, 5), ts, Rng.stream(6, "sde"), null).toFloatArray();
                assertArrayEquals(a, b, s.name());
            }
        }
    }

    /** Only the noise and the result remain after hundreds of steps; the noise is left open. */
    @Test
    void memoryStaysFlatOverManySteps() {
        VelocityField guided = new ClassifierFreeGuidance((x2, t) -> target.velocity(x2, t), 2.5);
        for (Sampler s : all()) {
            for (VelocityField f : new VelocityField[] {target, guided}) {
                try (NDManager local = m.newSubManager()) {
                    NDArray noise = noise(local, 7);
                    int before = local.getManagedArrays().size();
                    NDArray out = s.sample(f, noise, Schedule.timesteps(300, 1), new Rng(8), null);
                    assertEquals(before + 1, local.getManagedArrays().size(), s.name());
                    assertTrue(!noise.isReleased() && !out.isReleased());
                }
            }
        }
    }

    /** Inside a caller's scope the result behaves like any op's result: it is closed with the scope. */
    @Test
    void resultJoinsTheCallersScope() {
        try (NDManager local = m.newSubManager()) {
            NDArray noise = noise(local, 9);
            NDArray out;
            try (NDScope scope = new NDScope()) {
                out = new HeunSampler().sample(target, noise, Schedule.timesteps(5, 1), null, null);
                NDScope.unregister(noise);
            }
            assertTrue(out.isReleased());
        }
    }

    @Test
    void badSchedulesAreBadInput() {
        try (NDManager local = m.newSubManager()) {
            NDArray x = noise(local, 10);
            for (Sampler s : all()) {
                for (float[] ts : new float[][] {{1f}, {0f, 1f}, {1f, 1f, 0f}, {2f, 0f}}) {
                    LdmException e = assertThrows(LdmException.class, () -> s.sample(target, x, ts, new Rng(1), null));
                    assertEquals(LdmException.BAD_INPUT, e.exitCode());
                }
            }
        }
    }
}
