package dev.ldm.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.optim.AdamW;
import dev.ldm.optim.Checkpoint;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains an {@link Autoencoder} on images and writes it in the layout a pipeline reads:
 * <pre>
 * OUT/vae_encoder/model.onnx    sample → latent_sample (posterior mean, unnormalised)
 * OUT/vae_decoder/model.onnx    latent_sample → sample
 * OUT/vae/config.json           {@link VaeInfo}: scaling/shift factors, geometry, PSNR, architecture
 * OUT/vae/weights.safetensors   the weights, by module name
 * OUT/vae/train_config.json     the {@link VaeTrainConfig} of the run
 * OUT/checkpoint/               weights + AdamW moments + step + configs, for --resume
 * </pre>
 * Each step runs in its own NDScope. Batches and posterior noise are drawn from streams of
 * (seed, step), so a run resumed from a checkpoint continues exactly as an uninterrupted one.
 */
public final class VaeTrainer {
    public static final String CHECKPOINT_DIR = "checkpoints/vae";
    public static final String TRAIN_CONFIG = "vae/train_config.json";
    /** At most this many training images set the latent normalisation. */
    public static final int STATS_IMAGES = 4096;

    private final VaeConfig model;
    private final VaeTrainConfig config;

    public VaeTrainer(VaeConfig model, VaeTrainConfig config) {
        this.model = model;
        this.config = config;
    }

    /**
     * Trains to {@code config.steps()} (from the checkpoint in {@code outDir} when {@code resume}
     * and one exists), then measures held-out PSNR and the latent normalisation and writes the model.
     *
     * @param images training images [3, H, W] in [-1, 1], all one size
     * @param heldOut images not trained on, for the PSNR
     */
    public VaeTrainResult train(List<Tensor> images, List<Tensor> heldOut, Path outDir, boolean resume,
            VaeTrainListener listener) {
        VaeData data = new VaeData(images, model, "training images", config.seed());
        VaeData.validate(heldOut, model, "held-out images");
        Path checkpointDir = outDir.resolve(CHECKPOINT_DIR);
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder vae = new Autoencoder(m, model, config.seed());
            AdamW opt = new AdamW(vae.parameters(), m,
                    new AdamW.Config(0.9, 0.999, 1e-8, config.weightDecay(), config.clipNorm()));
            long start = resume && Checkpoint.exists(checkpointDir) ? restore(vae, opt, checkpointDir) : 0;
            vae.setRequiresGradient(true);
            double loss = Double.NaN;
            long loopStart = System.nanoTime();
            for (long step = start + 1; step <= config.steps(); step++) {
                loss = step(vae, opt, data, step);
                double rate = (step - start) / ((System.nanoTime() - loopStart) / 1e9);
                listener.onStep(step, config.steps(), loss, rate);
                if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                    saveCheckpoint(vae, opt, checkpointDir, step);
                    listener.onCheckpoint(step);
                }
                if (config.evalEvery() > 0 && step % config.evalEvery() == 0 && step != config.steps()) {
                    listener.onEval(step, VaeEvaluation.psnr(vae, heldOut, config.batch()));
                }
            }
            vae.setRequiresGradient(false);
            double psnr = VaeEvaluation.psnr(vae, heldOut, config.batch());
            listener.onEval(config.steps(), psnr);
            LatentNormalization norm = VaeEvaluation.latentNormalization(vae, images, config.batch(), STATS_IMAGES);
            export(vae, outDir, norm, psnr);
            return new VaeTrainResult(psnr, config.steps(), norm.scale(), norm.shift(),
                    (System.nanoTime() - t0) / 1e9, loss);
        }
    }

    /** One optimizer step on the batch of {@code step}; returns its loss. */
    private double step(Autoencoder vae, AdamW opt, VaeData data, long step) {
        NDManager m = vae.manager();
        int f = model.downsampleFactor();
        try (NDScope scope = new NDScope()) {
            NDArray x = data.batch(m, step, config.batch());                        // [B, 3, H, W]
            Shape s = x.getShape();
            Shape latent = new Shape(s.get(0), model.latentChannels(), s.get(2) / f, s.get(3) / f);
            float[] noise = Rng.stream(config.seed(), "vae-noise-" + step).gaussian((int) latent.size());
            NDArray eps = m.create(noise, latent);                                  // [B, L, h, w]
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList l = VaeLoss.compute(vae, x, eps, config.klWeight(), config.l1());
                gc.backward(l.get(0));
                loss = l.get(0).getFloat();
            }
            if (!Double.isFinite(loss)) {
                throw LdmException.failure("VAE training diverged at step " + step + " (loss " + loss
                        + "); lower the learning rate", null);
            }
            opt.update(config.lrAt(step));
            return loss;
        }
    }

    private void saveCheckpoint(Autoencoder vae, AdamW opt, Path dir, long step) {
        Checkpoint.save(dir, new Checkpoint.State(step, vae.stateDict(), Map.of(), opt.state(),
                Map.of("vae_config", Json.compact(model), "train_config", Json.compact(config),
                        "rng", "streams of seed " + config.seed() + " keyed by step")));
    }

    /** Loads a checkpoint into the model and optimizer after checking it belongs to this run; returns its step. */
    private long restore(Autoencoder vae, AdamW opt, Path dir) {
        String file = dir.resolve(Checkpoint.FILE).toString();
        Checkpoint.State s = Checkpoint.load(dir);
        VaeConfig savedModel = parseMetadata(s, "vae_config", VaeConfig.class, file);
        if (!model.equals(savedModel)) {
            throw LdmException.badInput(file + ": checkpoint was made for VAE config " + savedModel + ", not " + model);
        }
        VaeTrainConfig old = parseMetadata(s, "train_config", VaeTrainConfig.class, file);
        if (old.batch() != config.batch() || old.seed() != config.seed()) {
            throw LdmException.badInput(file + ": resume needs the batch size and seed of the checkpoint ("
                    + old.batch() + ", " + old.seed() + ")");
        }
        if (s.step() > config.steps()) {
            throw LdmException.badInput(file + ": checkpoint is at step " + s.step() + ", beyond steps " + config.steps());
        }
        if (s.optimizer().size() != 2 * vae.parameters().size()) {
            throw LdmException.badInput(file + ": checkpoint optimizer state does not match the model");
        }
        vae.loadStateDict(s.model(), file);
        opt.loadState(s.optimizer(), s.step());
        return s.step();
    }

    private static <T> T parseMetadata(Checkpoint.State s, String key, Class<T> type, String file) {
        String json = s.metadata().get(key);
        if (json == null) {
            throw LdmException.badInput(file + ": not a VAE checkpoint (no " + key + ")");
        }
        try {
            return Json.parse(json, type, file);
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) { // Gson wraps a record constructor's validation error
            throw LdmException.badInput(file + ": unreadable " + key + " (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the ONNX parts, the weights, the run's settings, and last the config that marks the folder complete. */
    private void export(Autoencoder vae, Path out, LatentNormalization norm, double psnr) {
        VaeOnnxExport.write(vae, out);
        Safetensors.write(out.resolve(VaeInfo.WEIGHTS), vae.stateDict(),
                Map.of("format", "ldm-vae", "steps", Long.toString(config.steps())), Safetensors.DType.F32);
        Json.write(out.resolve(TRAIN_CONFIG), config);
        new VaeInfo(model.latentChannels(), model.downsampleFactor(), norm.scale(), norm.shift(), psnr,
                config.steps(), model).write(out);
    }
}
