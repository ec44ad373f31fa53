package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.ldm.optim.AdamW;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the seed notes' example: two Gaussian blobs at (−4, 0) and (4, 0) with std 0.5,
 * learnt by a small MLP with the rectified-flow loss and logit-normal times, then sampled with the
 * ODE and with the SDE. Both must put about half the samples on each blob, with the right centre
 * and spread. The model is trained once for the class (a few seconds on one core).
 */
class TwoBlobsTest {
    private static final float CENTRE = 4f;
    private static final float STD = 0.5f;
    private static final int BATCH = 256;
    private static final int STEPS = 1500;
    private static final int SAMPLES = 2000;
    private static NDManager m;
    private static TinyVelocityMlp net;
    private static double firstLoss;
    private static double lastLoss;
    private static LossByTimestep bins;
    private static LossByTimestep bayesBins;
    private static int torchThreads;

    /**
     * Trains on one PyTorch thread: this model's ops are far too small to gain from two, and on a
     * busy 2-core machine a 2-thread OpenMP team made this class 20–30× slower. Restored afterwards.
     */
    @BeforeAll
    static void train() {
        m = NDManager.newBaseManager(); // loads the engine's native library first
        torchThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        net = new TinyVelocityMlp(m, Rng.stream(1, "init"), 2, 128, 8);
        net.setRequiresGradient(true);
        AdamW opt = new AdamW(net.parameters(), m, AdamW.Config.defaults());
        TimestepSampler times = TimestepSampler.parse("logit-normal");
        Rng data = Rng.stream(1, "data");
        bins = new LossByTimestep(10);
        bayesBins = new LossByTimestep(10);
        double sumFirst = 0;
        double sumLast = 0;
        for (int step = 0; step < STEPS; step++) {
            double lr = step < STEPS * 0.7 ? 2e-3 : 2e-4;
            double loss = trainStep(opt, times, data, lr, step >= STEPS - 200);
            sumFirst += step < 100 ? loss : 0;
            sumLast += step >= STEPS - 100 ? loss : 0;
        }
        firstLoss = sumFirst / 100;
        lastLoss = sumLast / 100;
    }

    private static double trainStep(AdamW opt, TimestepSampler times, Rng data, double lr, boolean record) {
        try (NDScope scope = new NDScope()) {
            float[] x0 = blobs(data, BATCH);
            float[] tv = times.sample(data, BATCH);
            NDArray x0a = m.create(x0, new Shape(BATCH, 2));                        // [B, 2]
            NDArray eps = m.create(data.gaussian(BATCH * 2), new Shape(BATCH, 2));  // [B, 2]
            NDArray t = m.create(tv);                                               // [B]
            NDArray xt = RectifiedFlow.interpolate(x0a, eps, t);                    // [B, 2]
            NDArray target = RectifiedFlow.velocityTarget(x0a, eps);                // [B, 2]
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray perSample = RectifiedFlow.perSampleLoss(net.forward(xt, t), target); // [B]
                NDArray mean = perSample.mean();
                gc.backward(mean);
                loss = mean.getFloat();
                if (record) {
                    bins.add(tv, perSample.toFloatArray());
                    bayesBins.add(tv, bayesLoss(x0, eps.toFloatArray(), tv));
                }
            }
            opt.update(lr);
            return loss;
        }
    }

    /** n points, each from the left or right blob with probability ½, row-major [n, 2]. */
    private static float[] blobs(Rng rng, int n) {
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (rng.nextDouble() < 0.5 ? -CENTRE : CENTRE) + STD * (float) rng.nextGaussian();
            x[2 * i + 1] = STD * (float) rng.nextGaussian();
        }
        return x;
    }

    @AfterAll
    static void stop() {
        m.close();
        JniUtils.setNumThreads(torchThreads);
    }

    /**
     * The lowest loss any network can reach on a sample: the squared error of the exact posterior
     * mean E[ε − x_0 | x_t]. Given blob k (centre m_k), x_t ~ N(a·m_k, V·I) with a = 1 − t and
     * V = a²σ² + t², and E[ε − x_0 | x_t, k] = (t − aσ²)/V·(x_t − a·m_k) − m_k; the blobs are
     * weighted by their posterior probabilities.
     */
    private static float[] bayesLoss(float[] x0, float[] eps, float[] t) {
        float[] out = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double a = 1 - t[i];
            double var = a * a * STD * STD + (double) t[i] * t[i];
            double[] xt = {a * x0[2 * i] + t[i] * eps[2 * i], a * x0[2 * i + 1] + t[i] * eps[2 * i + 1]};
            double dl = xt[0] + a * CENTRE; // x_t − a·m_left
            double dr = xt[0] - a * CENTRE; // x_t − a·m_right
            double wr = 1 / (1 + Math.exp((dr * dr - dl * dl) / (2 * var))); // P(right blob | x_t)
            double coef = (t[i] - a * STD * STD) / var;
            double v0 = (1 - wr) * (coef * dl + CENTRE) + wr * (coef * dr - CENTRE);
            double v1 = coef * xt[1];
            double e0 = eps[2 * i] - x0[2 * i] - v0;
            double e1 = eps[2 * i + 1] - x0[2 * i + 1] - v1;
            out[i] = (float) ((e0 * e0 + e1 * e1) / 2);
        }
        return out;
    }

    /** Training ends close to the Bayes-optimal loss in every time bin (and cannot beat it). */
    @Test
    void trainedLossApproachesTheBayesLossInEveryTimeBin() {
        assertTrue(lastLoss < 0.75 * firstLoss, "loss " + firstLoss + " → " + lastLoss);
        double[] model = bins.means();
        double[] best = bayesBins.means();
        for (int k = 0; k < model.length; k++) {
            assertTrue(bins.counts()[k] > 0, "bin " + k + " is empty");
            assertTrue(model[k] > 0.95 * best[k] && model[k] < 1.2 * best[k],
                    "bin " + k + ": " + bins + " vs best " + bayesBins);
        }
    }

    @Test
    void eulerSamplesBothBlobs() {
        check("euler", sample(new EulerSampler(), 50));
    }

    @Test
    void heunSamplesBothBlobs() {
        check("heun", sample(new HeunSampler(), 25));
    }

    @Test
    void sdeSamplesBothBlobs() {
        check("sde", sample(new SdeSampler(), 50));
    }

    private static float[] sample(Sampler sampler, int steps) {
        Tensor noise = new Tensor(new long[] {SAMPLES, 2}, Rng.stream(2, "noise").gaussian(SAMPLES * 2));
        return sampler.sample(net.field(m), noise, Schedule.timesteps(steps, 1), Rng.stream(2, "sde"), null).data();
    }

    /** Splits the samples by side and checks the share, centre and spread of each blob. */
    private static void check(String name, float[] x) {
        int near = 0;
        for (int side : new int[] {-1, 1}) {
            double[] sum = new double[2];
            double[] sq = new double[2];
            int n = 0;
            for (int i = 0; i < SAMPLES; i++) {
                float px = x[2 * i];
                float py = x[2 * i + 1];
                if (Math.signum(px) != side) {
                    continue;
                }
                n++;
                near += Math.hypot(px - side * CENTRE, py) < 4 * STD ? 1 : 0;
                sum[0] += px;
                sum[1] += py;
                sq[0] += px * px;
                sq[1] += py * py;
            }
            double share = n / (double) SAMPLES;
            assertTrue(share > 0.35 && share < 0.65, name + ": share on side " + side + " = " + share);
            for (int d = 0; d < 2; d++) {
                double mean = sum[d] / n;
                double std = Math.sqrt(sq[d] / n - mean * mean);
                assertEquals(d == 0 ? side * CENTRE : 0, mean, 0.3, name + ": mean " + d + " of side " + side);
                assertEquals(STD, std, 0.15, name + ": std " + d + " of side " + side);
            }
        }
        assertTrue(near > 0.95 * SAMPLES, name + ": only " + near + " samples within 4 std of a blob centre");
    }
}
