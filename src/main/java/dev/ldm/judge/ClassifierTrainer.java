package dev.ldm.judge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.image.HueRotation;
import dev.ldm.image.Images;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.optim.AdamW;
import dev.ldm.optim.Checkpoint;
import dev.ldm.util.Interrupt;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link Classifier} with cross-entropy (log-softmax) and AdamW on real images only.
 * Batches walk seeded per-epoch permutations; each image is shifted by up to
 * {@link ClassifierTrainConfig#shift()} pixels, which keeps a small CNN from memorising exact pixel
 * positions. Each step runs in its own NDScope; everything random comes from streams of the seed.
 *
 * <p>With a checkpoint folder, the weights, the AdamW moments and the step are saved every
 * {@code checkpointEvery} steps; a run resumed from one continues exactly as an uninterrupted run
 * (batches, shifts and hue turns are functions of (seed, step)), so a judge can train across sessions.
 */
public final class ClassifierTrainer {
    /** Progress of a run. */
    public interface Listener {
        Listener NONE = (step, total, loss, rate) -> {};

        void onStep(int step, int total, double loss, double stepsPerSecond);
    }

    private final ClassifierTrainConfig config;

    public ClassifierTrainer(ClassifierTrainConfig config) {
        this.config = config;
    }

    /**
     * Trains a new classifier whose parameters live in {@code m}.
     *
     * @param images [3, S, S] images of the config's size
     * @param labels each image's class index in [0, classes)
     */
    public Classifier train(NDManager m, ClassifierConfig model, List<Tensor> images, int[] labels, Listener listener) {
        return train(m, model, images, labels, listener, null, 0, List.of());
    }

    /**
     * Trains, saving a checkpoint into {@code checkpointDir} every {@code checkpointEvery} steps and at the
     * end, and continuing from the checkpoint already there, if any (null: no checkpoints).
     *
     * @param classes the class names, stored in the checkpoint: a resume on data with other classes is refused
     */
    public Classifier train(NDManager m, ClassifierConfig model, List<Tensor> images, int[] labels, Listener listener,
            Path checkpointDir, int checkpointEvery, List<String> classes) {
        if (images.isEmpty() || images.size() != labels.length) {
            throw LdmException.badInput("classifier training needs images with one label each");
        }
        for (int l : labels) {
            if (l < 0 || l >= model.classes()) {
                throw new IllegalArgumentException("label " + l + " outside 0.." + (model.classes() - 1));
            }
        }
        Classifier net = new Classifier(m, model, config.seed());
        AdamW opt = new AdamW(net.parameters(), m, new AdamW.Config(0.9, 0.999, 1e-8, config.weightDecay(), 1.0));
        net.setRequiresGradient(true);
        long first = checkpointDir != null && Checkpoint.exists(checkpointDir)
                ? restore(net, opt, model, classes, checkpointDir) : 0;
        Batches batches = new Batches(images.size(), config.seed());
        batches.skip(first * config.batch());
        long start = System.nanoTime();
        try (Interrupt.Guard guard = Interrupt.guard()) {
            long saved = first;
            for (int step = (int) first + 1; step <= config.steps(); step++) {
                Interrupt.atStepBoundary(step - 1, config.steps(), saved, // Ctrl-C or kill
                        checkpointDir == null ? null : done -> save(net, opt, model, classes, checkpointDir, done),
                        checkpointDir == null ? "" : "checkpoint " + checkpointDir + "; run it again to continue");
                double loss = step(net, opt, images, labels, batches.next(config.batch()), step);
                listener.onStep(step, config.steps(), loss, (step - first) / ((System.nanoTime() - start) / 1e9));
                if (checkpointDir != null && (step % checkpointEvery == 0 || step == config.steps())) {
                    save(net, opt, model, classes, checkpointDir, step);
                    saved = step;
                }
            }
        }
        net.setRequiresGradient(false);
        return net;
    }

    private void save(Classifier net, AdamW opt, ClassifierConfig model, List<String> classes, Path dir, long step) {
        Checkpoint.save(dir, new Checkpoint.State(step, net.stateDict(), Map.of(), opt.state(),
                Map.of("classifier_config", Json.compact(model), "train_config", Json.compact(config),
                        "classes", Json.compact(classes))));
    }

    /** Loads a checkpoint of this run (same architecture, classes, batch and seed); returns its step. */
    private long restore(Classifier net, AdamW opt, ClassifierConfig model, List<String> classes, Path dir) {
        String file = dir.resolve(Checkpoint.FILE).toString();
        Checkpoint.State s = Checkpoint.load(dir);
        ClassifierConfig savedModel = s.metadata("classifier_config", ClassifierConfig.class, file, "classifier");
        if (!model.equals(savedModel)) {
            throw LdmException.badInput(file + ": checkpoint was made for classifier " + savedModel + ", not " + model);
        }
        ClassifierTrainConfig old = s.metadata("train_config", ClassifierTrainConfig.class, file, "classifier");
        if (old.batch() != config.batch() || old.seed() != config.seed() || old.shift() != config.shift()
                || old.hue() != config.hue()) {
            throw LdmException.badInput(file + ": resume needs the checkpoint's --batch, --seed, --translate and "
                    + "--hue (" + old.batch() + ", " + old.seed() + ", " + old.shift() + ", " + old.hue() + ")");
        }
        if (!classes.equals(List.of(s.metadata("classes", String[].class, file, "classifier")))) {
            throw LdmException.badInput(file + ": checkpoint was trained on other classes; resume with the same "
                    + "--data and --label");
        }
        if (s.step() > config.steps()) {
            throw LdmException.badInput(file + ": checkpoint is at step " + s.step() + ", beyond --steps " + config.steps());
        }
        if (s.optimizer().size() != 2 * net.parameters().size()) {
            throw LdmException.badInput(file + ": checkpoint optimizer state does not match the classifier");
        }
        net.loadStateDict(s.model(), file);
        opt.loadState(s.optimizer(), s.step());
        return s.step();
    }

    /** One optimizer step on the images at {@code picks}; returns the mean cross-entropy. */
    private double step(Classifier net, AdamW opt, List<Tensor> images, int[] labels, int[] picks, int step) {
        NDManager m = net.manager();
        int b = picks.length;
        int classes = net.config().classes();
        Rng rng = Rng.stream(config.seed(), "classifier-shift-" + step);
        float[] onehot = new float[b * classes];
        Tensor[] batch = new Tensor[b];
        Rng hueRng = config.hue() > 0 ? Rng.stream(config.seed(), "classifier-hue-" + step) : null;
        for (int i = 0; i < b; i++) {
            Tensor image = images.get(picks[i]);
            if (hueRng != null) {
                double draw = hueRng.nextDouble();
                double degrees = 360 * hueRng.nextDouble();
                if (draw < config.hue()) {
                    image = hueTurned(image, degrees);
                }
            }
            batch[i] = shifted(image, rng.nextInt(2 * config.shift() + 1) - config.shift(),
                    rng.nextInt(2 * config.shift() + 1) - config.shift());
            onehot[i * classes + labels[picks[i]]] = 1f;
        }
        try (NDScope scope = new NDScope()) {
            NDArray x = net.stack(List.of(batch));                        // [B, 3, S, S]
            NDArray target = m.create(onehot, new Shape(b, classes));     // [B, classes]
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logp = net.logits(net.features(x)).logSoftmax(1); // [B, classes]
                NDArray ce = logp.mul(target).sum().mul(Nd.scalar(m, -1f / b)); // []
                gc.backward(ce);
                loss = ce.getFloat();
            }
            if (!Double.isFinite(loss)) {
                throw LdmException.failure("classifier training diverged at step " + step + "; lower --lr", null);
            }
            opt.update(config.lrAt(step));
            return loss;
        }
    }

    /** The image (RGB in [-1, 1]) with every hue turned by {@code degrees}, through 8-bit pixels as drawn. */
    static Tensor hueTurned(Tensor chw, double degrees) {
        return Images.toTensor(HueRotation.rotate(Images.toImage(chw), degrees), (int) chw.shape()[2]);
    }

    /** The image translated by (dx, dy) pixels, borders filled by replicating the edge. */
    static Tensor shifted(Tensor chw, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return chw;
        }
        int c = (int) chw.shape()[0];
        int h = (int) chw.shape()[1];
        int w = (int) chw.shape()[2];
        float[] src = chw.data();
        float[] out = new float[src.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = Math.min(h - 1, Math.max(0, y - dy));
                for (int x = 0; x < w; x++) {
                    int sx = Math.min(w - 1, Math.max(0, x - dx));
                    out[(ch * h + y) * w + x] = src[(ch * h + sy) * w + sx];
                }
            }
        }
        return new Tensor(chw.shape().clone(), out);
    }

    /** Indices in seeded per-epoch permutations, so every image is seen once per epoch. */
    private static final class Batches {
        private final int n;
        private final long seed;
        private int epoch = -1;
        private int pos;
        private int[] perm;

        Batches(int n, long seed) {
            this.n = n;
            this.seed = seed;
            this.pos = n;
        }

        /** Moves past the first {@code picks} indices, as if {@link #next} had drawn them. */
        void skip(long picks) {
            if (picks > 0) {
                epoch = (int) ((picks - 1) / n);
                perm = Rng.stream(seed, "classifier-epoch-" + epoch).permutation(n);
                pos = (int) (picks - (long) epoch * n);
            }
        }

        int[] next(int size) {
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                if (pos == n) {
                    epoch++;
                    perm = Rng.stream(seed, "classifier-epoch-" + epoch).permutation(n);
                    pos = 0;
                }
                out[i] = perm[pos++];
            }
            return out;
        }
    }
}
