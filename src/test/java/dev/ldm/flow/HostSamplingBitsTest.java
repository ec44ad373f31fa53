package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sampling moved from engine arrays to host tensors so that {@code ldm generate} never starts the
 * PyTorch engine; every image must keep its bits. Here each sampler, guidance and the SDEdit start
 * run on host tensors and, beside them, as they were written on engine arrays before the move
 * (the same formulas, operation for operation, on PyTorch), with one nonlinear field computed on
 * the host for both; the results must agree bit for bit.
 */
class HostSamplingBitsTest {
    private static NDManager m;

    @BeforeAll
    static void start() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    /** A nonlinear field on the host: both sides call it, so only the samplers' arithmetic differs. */
    private static Tensor field(Tensor x, float t) {
        float[] v = new float[x.data().length];
        for (int i = 0; i < v.length; i++) {
            float xi = x.data()[i];
            v[i] = (float) StrictMath.sin(1.3 * xi + t) * 0.7f - xi * t + 0.01f * (i % 5);
        }
        return new Tensor(x.shape().clone(), v);
    }

    /** The conditional pair [v_c; v_u]: a second field for the unconditional half. */
    private static Tensor pair(Tensor x2, float t) {
        int b = (int) x2.shape()[0] / 2;
        Tensor u = field(x2.slice(b, 2 * b), t).mul(0.5f);
        return Tensor.concat(List.of(field(x2.slice(0, b), t), u));
    }

    private static NDArray engine(Tensor t) {
        return Nd.fromTensor(m, t);
    }

    /** The engine-array reference of a field: the host field on a copy, the result back on the engine. */
    private interface EngineField {
        NDArray velocity(NDArray x, float t);
    }

    private static EngineField engineField(double cfg) {
        if (cfg == 1.0) {
            return (x, t) -> engine(field(Nd.toTensor(x), t));
        }
        return (x, t) -> { // ClassifierFreeGuidance as written on engine arrays
            long b = x.getShape().get(0);
            NDArray x2 = x.concat(x, 0);
            NDArray v2 = engine(pair(Nd.toTensor(x2), t));
            NDList halves = v2.split(new long[] {b}, 0);
            NDArray vc = halves.get(0);
            NDArray vu = halves.get(1);
            return vu.add(vc.sub(vu).mul((float) cfg));
        };
    }

    /** EulerSampler, HeunSampler and SdeSampler's steps as written on engine arrays. */
    private static NDArray engineSample(String sampler, EngineField f, NDArray noise, float[] ts, Rng rng) {
        NDArray x = noise;
        for (int i = 0; i + 1 < ts.length; i++) {
            float t = ts[i];
            float tNext = ts[i + 1];
            double eta = sampler.equals("sde") ? 1.0 : sampler.equals("sde:0.5") ? 0.5 : 0;
            if (sampler.equals("heun")) {
                float h = tNext - t;
                NDArray v1 = f.velocity(x, t);
                NDArray predicted = x.add(v1.mul(h));
                if (tNext == 0f) {
                    x = predicted;
                } else {
                    NDArray v2 = f.velocity(predicted, tNext);
                    x = x.add(v1.add(v2).mul(0.5f * h));
                }
            } else if (eta == 0 || tNext == 0f) {
                NDArray v = f.velocity(x, t);
                x = x.add(v.mul(tNext - t));
            } else {
                float h = t - tNext;
                NDArray v = f.velocity(x, t);
                NDArray score = x.add(v.mul(1f - t)).div(-t);
                NDArray drift = v.sub(score.mul((float) (eta * t)));
                NDArray z = m.create(rng.gaussian(Math.toIntExact(x.size())), x.getShape());
                float std = (float) Math.sqrt(2 * eta * t * h);
                x = x.sub(drift.mul(h)).add(z.mul(std));
            }
        }
        return x;
    }

    private static Tensor noise(long seed, long... shape) {
        return new Tensor(shape, new Rng(seed).gaussian(Math.toIntExact(Tensor.numel(shape))));
    }

    @Test
    void everySamplerWithAndWithoutGuidanceGivesTheEnginesBits() {
        for (String name : new String[] {"euler", "heun", "sde", "sde:0.5"}) {
            for (double cfg : new double[] {1.0, 3.5}) {
                for (long[] shape : new long[][] {{1, 4, 8, 8}, {3, 8, 16, 16}}) {
                    Tensor x = noise(7, shape);
                    float[] ts = Schedule.timesteps(12, cfg == 1.0 ? 1.0 : 3.0);
                    VelocityField host = new ClassifierFreeGuidance(HostSamplingBitsTest::pair,
                            HostSamplingBitsTest::field, cfg);
                    float[] got = Samplers.byName(name).sample(host, x, ts, Rng.stream(9, "sde"), null).data();
                    try (NDManager scope = m.newSubManager()) {
                        float[] want = engineSample(name, engineField(cfg), engine(x), ts, Rng.stream(9, "sde"))
                                .toFloatArray();
                        assertArrayEquals(want, got, name + " cfg " + cfg + " " + java.util.Arrays.toString(shape));
                    }
                }
            }
        }
    }

    @Test
    void sdEditStartGivesTheEnginesBits() {
        Tensor z = noise(3, 2, 8, 16, 16);
        Tensor eps = noise(4, 2, 8, 16, 16);
        for (float s : new float[] {0.75f, 0.6f, 1f / 3}) {
            float[] want = engine(z).mul(1f - s).add(engine(eps).mul(s)).toFloatArray();
            assertArrayEquals(want, SdEdit.start(z, eps, s).data(), "strength " + s);
        }
    }
}
