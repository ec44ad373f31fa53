package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.ClassifierConfig;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every convolution shape that ldm trains (the autoencoder presets and the judge) gives the input,
 * weight and bias gradients of an fp64 computation written here in plain Java. PyTorch 2.7.1's
 * oneDNN convolution computes a wrong input gradient when the number of output channels is not a
 * multiple of its channel block (8 with AVX2, 16 with AVX-512): stale memory in the padded channel
 * slots leaks into the sum, and sometimes it is NaN. {@link Conv2d} pads its output channels to
 * avoid that; this test would find it coming back on any CPU, for any shape ldm adds. Batches of
 * 16, 2 and 1 cover each path of {@link Conv2d#forward}.
 */
class ConvolutionGradientTest {
    private static final int[] BATCHES = {16, 2, 1};
    private static final int SIDE = 8;

    /** in, out, kernel, stride, padding of one convolution. */
    record Spec(int in, int out, int kernel, int stride, int padding) {
        static Spec of(Conv2d c) {
            return new Spec(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding());
        }
    }

    static Set<Spec> shapesLdmTrains(NDManager m) {
        List<Module> nets = new ArrayList<>();
        for (String preset : VaeConfig.presetNames()) {
            nets.add(new Autoencoder(m, VaeConfig.preset(preset), 0));
        }
        nets.add(new Classifier(m, new ClassifierConfig(32, ClassifierConfig.DEFAULT_WIDTHS, 10), 0));
        nets.add(new Classifier(m, new ClassifierConfig(16, List.of(8, 16), 3), 0));   // the suite's judges
        nets.add(new Classifier(m, new ClassifierConfig(8, List.of(4, 8), 3), 0));
        Set<Spec> out = new LinkedHashSet<>();
        for (Module net : nets) {
            net.modules().values().stream().filter(Conv2d.class::isInstance)
                    .forEach(c -> out.add(Spec.of((Conv2d) c)));
        }
        // Output channel counts on both sides of every channel block size oneDNN uses.
        for (int outChannels : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 64}) {
            out.add(new Spec(32, outChannels, 3, 1, 1));
        }
        return out;
    }

    @Test
    void everyConvolutionShapeHasTheGradientsOfAnFp64Reference() {
        List<String> wrong = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Set<Spec> specs = shapesLdmTrains(m);
            Rng rng = Rng.stream(1, "conv-gradients");
            for (Spec s : specs) {
                for (int batch : BATCHES) {
                    // A fresh layer each time: the gradient collector accumulates into parameters.
                    Conv2d conv = new Conv2d(m, rng, s.in(), s.out(), s.kernel(), s.stride(), s.padding());
                    String error = check(m, conv, s, batch, rng);
                    if (error != null) {
                        wrong.add(s + " batch " + batch + ": " + error);
                        break;
                    }
                }
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + specs.size() + " convolution shapes disagree with fp64:\n"
                    + String.join("\n", wrong));
        }
    }

    /** Returns null when DJL's gradients match the reference, else what differs. */
    private static String check(NDManager m, Conv2d conv, Spec s, int batch, Rng rng) {
        int in = s.in();
        int side = SIDE;
        float[] x = rng.uniform(batch * in * side * side, -1, 1);
        int outSide = (side + 2 * s.padding() - s.kernel()) / s.stride() + 1;
        float[] g = rng.uniform(batch * s.out() * outSide * outSide, -1, 1);
        float[] w = conv.parameters().get("weight").toFloatArray();
        float[] b = conv.parameters().get("bias").toFloatArray();
        float[] y;
        float[] dx;
        float[] dw;
        float[] db;
        conv.setRequiresGradient(true);
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray xa = m.create(x, new Shape(batch, in, side, side));
            xa.setRequiresGradient(true);
            NDArray ga = m.create(g, new Shape(batch, s.out(), outSide, outSide));
            NDArray ya = conv.forward(xa);
            y = ya.toFloatArray();
            gc.backward(ya.mul(ga).sum());
            dx = xa.getGradient().toFloatArray();
            dw = conv.parameters().get("weight").getGradient().toFloatArray();
            db = conv.parameters().get("bias").getGradient().toFloatArray();
        } finally {
            conv.setRequiresGradient(false);
        }
        double[][] ref = reference(x, w, b, g, s, batch, side, outSide);
        String e = compare("output", y, ref[3]);
        if (e == null) {
            e = compare("input", dx, ref[0]);
        }
        if (e == null) {
            e = compare("weight", dw, ref[1]);
        }
        if (e == null) {
            e = compare("bias", db, ref[2]);
        }
        return e;
    }

    private static String compare(String what, float[] got, double[] want) {
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (worst <= 1e-4 * scale + 1e-5) {
            return null;
        }
        return what + " gradient off by " + worst + " at " + at + " (" + got[at] + " vs " + want[at]
                + ", largest " + scale + ")";
    }

    /** Input, weight and bias gradients of sum(conv(x)·g), and conv(x), in double precision. */
    static double[][] reference(float[] x, float[] w, float[] b, float[] g, Spec s, int batch, int side,
            int outSide) {
        int in = s.in();
        int out = s.out();
        int k = s.kernel();
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[b.length];
        double[] y = new double[g.length];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < outSide; i++) {
                    for (int j = 0; j < outSide; j++) {
                        int yi = ((n * out + o) * outSide + i) * outSide + j;
                        double gv = g[yi];
                        db[o] += gv;
                        y[yi] += b[o];
                        for (int c = 0; c < in; c++) {
                            for (int u = 0; u < k; u++) {
                                int yy = i * s.stride() + u - s.padding();
                                if (yy < 0 || yy >= side) {
                                    continue;
                                }
                                for (int v = 0; v < k; v++) {
                                    int xx = j * s.stride() + v - s.padding();
                                    if (xx < 0 || xx >= side) {
                                        continue;
                                    }
                                    int xi = ((n * in + c) * side + yy) * side + xx;
                                    int wi = ((o * in + c) * k + u) * k + v;
                                    dx[xi] += w[wi] * gv;
                                    dw[wi] += x[xi] * gv;
                                    y[yi] += (double) x[xi] * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, db, y};
    }
}
