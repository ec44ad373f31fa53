package dev.ldm.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;
import dev.ldm.vae.Conv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * The judge: a small CNN image classifier ({@link ClassifierConfig} describes its layers). Its
 * pooled features, the input of the last linear layer, are the space in which ldm measures FID, so
 * that distances are judged by a network that knows this data rather than by ImageNet's Inception.
 */
public final class Classifier extends Module {
    private final ClassifierConfig config;
    private final NDManager manager;
    private final Conv2d stem;
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<GroupNorm> norms = new ArrayList<>();
    private final Linear head;

    /** A freshly initialised classifier; parameters live in {@code m}. */
    public Classifier(NDManager m, ClassifierConfig config, long seed) {
        this.config = config;
        this.manager = m;
        Rng rng = Rng.stream(seed, "classifier-init");
        List<Integer> w = config.widths();
        this.stem = child("stem", Conv2d.same3x3(m, rng, 3, w.get(0)));
        int in = w.get(0);
        for (int i = 0; i < w.size(); i++) {
            int stride = i == 0 ? 1 : 2;
            convs.add(child("stages." + i + ".conv1", new Conv2d(m, rng, in, w.get(i), 3, stride, 1)));
            norms.add(child("stages." + i + ".norm1", new GroupNorm(m, w.get(i))));
            convs.add(child("stages." + i + ".conv2", Conv2d.same3x3(m, rng, w.get(i), w.get(i))));
            norms.add(child("stages." + i + ".norm2", new GroupNorm(m, w.get(i))));
            in = w.get(i);
        }
        this.head = child("head", new Linear(m, rng, config.featureDim(), config.classes()));
    }

    public ClassifierConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Pooled features: x [B, 3, S, S] in [-1, 1] → [B, D], the mean of {@link #featureMap} over its positions. */
    public NDArray features(NDArray x) {
        NDArray h = featureMap(x);                                     // [B, D, s, s]
        Shape s = h.getShape();
        return h.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // [B, D]
    }

    /**
     * The last stage's output before pooling: x [B, 3, S, S] in [-1, 1] → [B, D, s, s] with
     * s = {@link ClassifierConfig#mapSide()} (what representation alignment trains a DiT towards).
     */
    public NDArray featureMap(NDArray x) {
        NDArray h = Nd.silu(stem.forward(x));                           // [B, w0, S, S]
        for (int i = 0; i < convs.size(); i++) {
            h = Nd.silu(norms.get(i).forward(convs.get(i).forward(h))); // [B, wi, S / 2^i, S / 2^i]
        }
        return h;                                                       // [B, D, s, s]
    }

    /**
     * Feature maps of host images as tokens, in batches, without gradients.
     *
     * @return [n, s·s, D]: row-major positions, each position's D features
     */
    public Tensor featureTokens(List<Tensor> images, int batch) {
        int n = images.size();
        int side = config.mapSide();
        int d = config.featureDim();
        int per = side * side * d;
        float[] out = new float[n * per];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            try (NDScope scope = new NDScope()) {
                NDArray map = featureMap(stack(images.subList(from, to)));          // [b, D, s, s]
                NDArray tokens = map.reshape(to - from, d, side * side).transpose(0, 2, 1); // [b, s·s, D]
                System.arraycopy(tokens.toFloatArray(), 0, out, from * per, (to - from) * per);
            }
        }
        return new Tensor(new long[] {n, (long) side * side, d}, out);
    }

    /** Class logits from features: [B, D] → [B, classes]. */
    public NDArray logits(NDArray features) {
        return head.forward(features);
    }

    /** Features and logits of host images, in batches, without gradients. */
    public Scores score(List<Tensor> images, int batch) {
        int n = images.size();
        float[][] features = new float[n][];
        float[][] logits = new float[n][];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            try (NDScope scope = new NDScope()) {
                NDArray x = stack(images.subList(from, to));  // [b, 3, S, S]
                NDArray f = features(x);                      // [b, D]
                NDArray l = logits(f);                        // [b, classes]
                rows(f.toFloatArray(), features, from, to);
                rows(l.toFloatArray(), logits, from, to);
            }
        }
        return new Scores(features, logits);
    }

    /** Host images [3, S, S] of this classifier's size as one [b, 3, S, S] array. */
    NDArray stack(List<Tensor> images) {
        int s = config.size();
        int per = 3 * s * s;
        float[] data = new float[per * images.size()];
        for (int i = 0; i < images.size(); i++) {
            Tensor t = images.get(i);
            if (t.data().length != per) {
                throw new IllegalArgumentException("image " + t.shapeString() + " is not [3, " + s + ", " + s + "]");
            }
            System.arraycopy(t.data(), 0, data, i * per, per);
        }
        return manager.create(data, new Shape(images.size(), 3, s, s));
    }

    private static void rows(float[] flat, float[][] out, int from, int to) {
        int width = flat.length / (to - from);
        for (int i = from; i < to; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, (i - from) * width, (i - from + 1) * width);
        }
    }

    /**
     * Host results for a list of images.
     *
     * @param features [n][D] pooled features
     * @param logits [n][classes]
     */
    public record Scores(float[][] features, float[][] logits) {}
}
