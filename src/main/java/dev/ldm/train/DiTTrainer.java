package dev.ldm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.flow.LossByTimestep;
import dev.ldm.flow.FlowLoss;
import dev.ldm.flow.TimestepSampler;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.nn.Nd;
import dev.ldm.optim.AdamW;
import dev.ldm.optim.Checkpoint;
import dev.ldm.util.Interrupt;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a DiT on a {@link LatentCache} with the rectified-flow loss: logit-normal (or uniform)
 * timesteps, caption dropout, AdamW with warm-up and clipping, EMA weights, checkpoints, and an
 * exact resume. One explicit step per iteration inside its own NDScope, so memory stays flat.
 * With an {@link Alignment} it also trains an {@link AlignProjector} on the REPA term; the projector
 * is in the optimizer and the checkpoint (under {@value #ALIGN_PREFIX}) but not in the EMA or the result.
 */
public final class DiTTrainer {
    /** Called after every step and at checkpoints and sample points. */
    public interface Listener {
        void onStep(long step, double loss, double lr);

        /**
         * Called after every step instead of {@link #onStep(long, double, double)} when the run aligns
         * representations ({@link Alignment}); {@code align} is the alignment term, NaN without one.
         */
        default void onStep(long step, double loss, double align, double lr) {
            onStep(step, loss, lr);
        }

        /** Called every sampleEvery steps with the EMA weights. */
        default void onSample(long step, Map<String, Tensor> emaWeights) {}

        default void onCheckpoint(long step) {}
    }

    /**
     * What a run optimises. {@link #full()} trains every DiT weight; an adapter set (LoRA) leaves
     * them frozen and returns its own parameters. Checkpoints, EMA and the result hold exactly the
     * returned parameters, so a resume needs the same initial weights and the same description.
     */
    public interface Trainable {
        /**
         * Called once with the built DiT, its initial weights loaded. Returns the parameters to
         * optimise by name (the trainer makes them require a gradient after loading a checkpoint);
         * every other parameter must stay frozen.
         */
        Map<String, NDArray> attach(DiT dit, NDManager manager);

        /** Saved in checkpoints; a resume must describe itself the same way. */
        String describe();

        /** Every DiT weight (what {@code ldm train} does). */
        static Trainable full() {
            return full(FULL);
        }

        /** Every DiT weight, with a description that a resume must match (for example the base model). */
        static Trainable full(String description) {
            return new Trainable() {
                @Override
                public Map<String, NDArray> attach(DiT dit, NDManager manager) {
                    return dit.parameters();
                }

                @Override
                public String describe() {
                    return description;
                }
            };
        }
    }

    /** Prefix of the alignment projector's tensors in a checkpoint (its weights and AdamW moments). */
    public static final String ALIGN_PREFIX = "align.";
    /** Checkpoint metadata key of the alignment settings ({@link Alignment.Settings}), absent without alignment. */
    public static final String ALIGN_META = "align";

    /** Description of full training; checkpoints written before {@link Trainable} existed mean this. */
    public static final String FULL = "full";

    /** Outcome of a run; the weights are those of the {@link Trainable} (every DiT weight by default). */
    public record Result(long steps, long startStep, double finalLoss, double seconds, double[] lossByTimestep,
            Map<String, Tensor> emaWeights, Map<String, Tensor> weights) {}

    private final DiTConfig modelConfig;
    private final TrainConfig config;
    private final LatentCache cache;
    private final Path checkpointDir;
    private final Alignment alignment;

    public DiTTrainer(DiTConfig modelConfig, TrainConfig config, LatentCache cache, Path checkpointDir) {
        this(modelConfig, config, cache, checkpointDir, null);
    }

    /**
     * A trainer that also aligns representations when {@code alignment} is not null: its targets
     * hold one row per cached image and one token per DiT token.
     */
    public DiTTrainer(DiTConfig modelConfig, TrainConfig config, LatentCache cache, Path checkpointDir,
            Alignment alignment) {
        this.modelConfig = modelConfig;
        this.config = config;
        this.cache = cache;
        this.checkpointDir = checkpointDir;
        this.alignment = alignment;
        if (alignment != null) {
            long[] ts = alignment.targets().shape();
            if (ts[0] != cache.size() || ts[1] != modelConfig.tokens()) {
                throw new IllegalArgumentException("alignment targets " + Arrays.toString(ts) + " for " + cache.size()
                        + " images of " + modelConfig.tokens() + " tokens");
            }
            Alignment.checkDepth(alignment.settings().depth(), modelConfig.depth());
        }
        long[] ls = cache.latents().shape();
        if (ls[1] != modelConfig.inChannels() || ls[2] != modelConfig.inputSize() || ls[3] != modelConfig.inputSize()) {
            throw LdmException.badInput("latent cache holds " + Arrays.toString(ls) + " latents but the DiT takes ["
                    + modelConfig.inChannels() + ", " + modelConfig.inputSize() + ", " + modelConfig.inputSize() + "]");
        }
        if (cache.text().states().shape()[2] != modelConfig.textDim()) {
            throw LdmException.badInput("text states have width " + cache.text().states().shape()[2] + " but the DiT expects "
                    + modelConfig.textDim());
        }
    }

    /** Runs to {@code config.steps()}, from the checkpoint when {@code resume} and one exists. */
    public Result run(boolean resume, Map<String, Tensor> initialWeights, Listener listener) {
        return run(resume, initialWeights, Trainable.full(), listener);
    }

    /**
     * Runs to {@code config.steps()} optimising {@code trainable}'s parameters, from the checkpoint
     * when {@code resume} and one exists. {@code initialWeights} (all DiT weights, or null for a fresh
     * initialisation) are loaded first; a checkpoint then overrides the trainable parameters.
     */
    public Result run(boolean resume, Map<String, Tensor> initialWeights, Trainable trainable, Listener listener) {
        TimestepSampler times = TimestepSampler.parse(config.timesteps());
        try (Interrupt.Guard guard = Interrupt.guard(); NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, modelConfig, Rng.stream(config.seed(), "init"));
            if (initialWeights != null) {
                dit.loadStateDict(initialWeights, "initial weights");
            }
            Map<String, NDArray> params = trainable.attach(dit, m);
            AlignProjector projector = alignment == null ? null : new AlignProjector(m,
                    Rng.stream(config.seed(), AlignProjector.INIT_STREAM), modelConfig.hidden(), alignment.width());
            // The projector is trained with the DiT and checkpointed, never part of the EMA or the result.
            Map<String, NDArray> optimised = new LinkedHashMap<>(params);
            if (projector != null) {
                projector.parameters().forEach((k, v) -> optimised.put(ALIGN_PREFIX + k, v));
            }
            AdamW opt = new AdamW(optimised, m,
                    new AdamW.Config(0.9, 0.999, 1e-8, config.weightDecay(), config.clipNorm()));
            long start = 0;
            Ema ema;
            if (resume && Checkpoint.exists(checkpointDir)) {
                Checkpoint.State s = Checkpoint.load(checkpointDir);
                checkCompatible(s, trainable);
                load(optimised, s.model(), checkpointDir.resolve(Checkpoint.FILE).toString());
                ema = new Ema(params, m, config.emaDecay());
                ema.loadState(s.ema());
                opt.loadState(s.optimizer(), s.step());
                start = s.step();
            } else {
                ema = new Ema(params, m, config.emaDecay());
            }
            optimised.values().forEach(p -> p.setRequiresGradient(true));
            Batch batches = new Batch(cache, config.seed(), config.captionDropout(), config.tagDropout());
            LossByTimestep bins = new LossByTimestep(10);
            long t0 = System.nanoTime();
            double loss = Double.NaN;
            long saved = start;
            for (long step = start + 1; step <= config.steps(); step++) {
                Interrupt.atStepBoundary(step - 1, config.steps(), saved, done -> { // Ctrl-C or kill
                    saveCheckpoint(done, trainable, optimised, ema, opt);
                    listener.onCheckpoint(done);
                }, "checkpoint " + checkpointDir + "; continue with --resume");
                double[] terms = step(m, dit, projector, opt, ema, batches, times, step, bins);
                loss = terms[0];
                if (!Double.isFinite(loss) || (projector != null && !Double.isFinite(terms[1]))) {
                    throw LdmException.failure("training diverged at step " + step + " (loss " + loss
                            + (projector != null ? ", align " + terms[1] : "") + "); lower --lr", null);
                }
                if (projector != null) {
                    listener.onStep(step, loss, terms[1], config.lrAt(step));
                } else {
                    listener.onStep(step, loss, config.lrAt(step));
                }
                if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                    saveCheckpoint(step, trainable, optimised, ema, opt);
                    saved = step;
                    listener.onCheckpoint(step);
                }
                if (config.sampleEvery() > 0 && step % config.sampleEvery() == 0) {
                    listener.onSample(step, ema.state());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result(config.steps(), start, loss, secs, bins.means(), ema.state(), host(params));
        }
    }

    private void saveCheckpoint(long step, Trainable trainable, Map<String, NDArray> optimised, Ema ema, AdamW opt) {
        Map<String, String> meta = new LinkedHashMap<>(Map.of("model_config", Json.compact(modelConfig),
                "train_config", Json.compact(config), "trainable", trainable.describe()));
        if (alignment != null) {
            meta.put(ALIGN_META, Json.compact(alignment.settings()));
        }
        Checkpoint.save(checkpointDir, new Checkpoint.State(step, host(optimised), ema.state(), opt.state(), meta));
    }

    /** One optimizer step; returns {flow loss, alignment term (NaN without alignment)}. */
    private double[] step(NDManager m, DiT dit, AlignProjector projector, AdamW opt, Ema ema, Batch batches,
            TimestepSampler times, long step, LossByTimestep bins) {
        int b = config.batch();
        try (NDScope scope = new NDScope()) {
            NDList batch = batches.make(m, step, b);
            NDArray x0 = batch.get(0);                                      // [B, C, h, w]
            Shape shape = x0.getShape();
            float[] tv = times.sample(Rng.stream(config.seed(), "time-" + step), b);
            NDArray t = m.create(tv);                                       // [B]
            NDArray eps = m.create(Rng.stream(config.seed(), "noise-" + step)
                    .gaussian((int) shape.size()), shape);                  // [B, C, h, w]
            double loss;
            double align;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray[] hidden = new NDArray[1];
                FlowLoss l = FlowLoss.of(x0, t, eps, (xt, tt) -> {
                    if (projector == null) {
                        return dit.forward(xt, tt, batch.get(1), batch.get(2), batch.get(3));
                    }
                    DiT.Hidden out = dit.forwardWithHidden(xt, tt, batch.get(1), batch.get(2), batch.get(3),
                            alignment.settings().depth());
                    hidden[0] = out.hidden();                               // [B, T, D]
                    return out.velocity();
                });
                NDArray objective = l.mean();                               // []
                NDArray a = null;
                if (projector != null) {
                    NDArray target = Nd.fromTensor(m, alignment.targets().rows(batches.rows(step, b))); // [B, T, W]
                    a = Alignment.loss(projector.forward(hidden[0]), target); // []
                    objective = objective.add(a.mul(Nd.scalar(m, (float) alignment.settings().weight())));
                }
                gc.backward(objective);
                loss = l.mean().getFloat();
                align = a == null ? Double.NaN : a.getFloat();
                bins.add(tv, l.perSample().toFloatArray());
            }
            opt.update(config.lrAt(step));
            ema.update(step);
            return new double[] {loss, align};
        }
    }

    /** A resume must align as the checkpointed run did (judge, weight and depth), or not at all as it did not. */
    private void checkAlignment(String saved) {
        String file = checkpointDir.resolve(Checkpoint.FILE).toString();
        if (saved == null && alignment != null) {
            throw LdmException.badInput(file + ": checkpoint was trained without --align; resume it without --align "
                    + "(or use another --out)");
        }
        if (saved == null) {
            return;
        }
        Alignment.Settings old = Json.parse(saved, Alignment.Settings.class, file);
        if (alignment == null) {
            throw LdmException.badInput(file + ": checkpoint was trained with --align (" + old.describe()
                    + "); resume it with the same settings");
        }
        if (!old.equals(alignment.settings())) {
            throw LdmException.badInput(file + ": checkpoint was trained with --align (" + old.describe() + "), not ("
                    + alignment.settings().describe() + "); resume with the same settings");
        }
    }

    /** Parameters as host tensors, by name. */
    private static Map<String, Tensor> host(Map<String, NDArray> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, Nd.toTensor(v)));
        return out;
    }

    /** Loads a checkpoint's tensors into {@code params}; refuses missing, extra or mis-shaped ones. */
    private static void load(Map<String, NDArray> params, Map<String, Tensor> state, String source) {
        if (!state.keySet().equals(params.keySet())) {
            throw LdmException.badInput(source + ": checkpoint holds other parameters than this run trains "
                    + "(delete the checkpoint to start over)");
        }
        params.forEach((k, p) -> {
            Tensor t = state.get(k);
            if (!Arrays.equals(t.shape(), p.getShape().getShape())) {
                throw LdmException.badInput(source + ": tensor '" + k + "' has shape " + Arrays.toString(t.shape())
                        + " but this run needs " + p.getShape());
            }
            dev.ldm.nn.Nd.assign(p, t.data());
        });
    }

    /** A checkpoint continues only the DiT it was made for. */
    public static void requireModelConfig(Checkpoint.State s, DiTConfig modelConfig, String file) {
        String saved = s.metadata().get("model_config");
        if (saved != null && !saved.equals(Json.compact(modelConfig))) {
            throw LdmException.badInput(file + ": checkpoint was made for model config " + saved + ", not "
                    + Json.compact(modelConfig));
        }
    }

    private void checkCompatible(Checkpoint.State s, Trainable trainable) {
        checkAlignment(s.metadata().get(ALIGN_META));
        String what = s.metadata().getOrDefault("trainable", FULL);
        if (!what.equals(trainable.describe())) {
            throw LdmException.badInput(checkpointDir.resolve(Checkpoint.FILE) + ": checkpoint trains " + what
                    + ", not " + trainable.describe() + " (use another --out or delete the checkpoint)");
        }
        requireModelConfig(s, modelConfig, checkpointDir.resolve(Checkpoint.FILE).toString());
        String train = s.metadata().get("train_config");
        if (train != null) {
            TrainConfig old = Json.parse(train, TrainConfig.class, "checkpoint");
            if (old.batch() != config.batch() || old.seed() != config.seed()) {
                throw LdmException.badInput(checkpointDir.resolve(Checkpoint.FILE)
                        + ": resume needs the same --batch and --seed as the checkpoint (" + old.batch() + ", "
                        + old.seed() + ")");
            }
        }
        if (s.step() > config.steps()) {
            throw LdmException.badInput("checkpoint is at step " + s.step() + ", beyond --steps " + config.steps());
        }
    }
}
