package dev.ldm.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.optim.AdamW;
import dev.ldm.optim.Checkpoint;
import dev.ldm.util.Interrupt;
import dev.ldm.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        try (Interrupt.Guard guard = Interrupt.guard(); NDManager m = NDManager.newBaseManager()) {
            Autoencoder vae = new Autoencoder(m, model, config.seed());
            VaeInfo init = config.init() == null ? null : loadInit(vae, Path.of(config.init()));
            Map<String, NDArray> trained = trainedParameters(vae);
            AdamW opt = new AdamW(trained, m,
                    new AdamW.Config(0.9, 0.999, 1e-8, config.weightDecay(), config.clipNorm()));
            PatchDiscriminator disc = config.ganWeight() > 0
                    ? new PatchDiscriminator(m, config.seed(), model.imageChannels(), PatchDiscriminator.WIDTH) : null;
            AdamW discOpt = disc == null ? null : new AdamW(prefixed(disc.parameters()), m,
                    new AdamW.Config(DISC_BETA1, DISC_BETA2, 1e-8, 0.0, 0.0));
            long start = resume && Checkpoint.exists(checkpointDir)
                    ? restore(vae, opt, disc, discOpt, checkpointDir) : 0;
            trained.values().forEach(p -> p.setRequiresGradient(true));
            if (disc != null) {
                disc.setRequiresGradient(true);
            }
            double loss = Double.NaN;
            long loopStart = System.nanoTime();
            long saved = start;
            for (long step = start + 1; step <= config.steps(); step++) {
                Interrupt.atStepBoundary(step - 1, config.steps(), saved, done -> { // Ctrl-C or kill
                    saveCheckpoint(vae, opt, disc, discOpt, checkpointDir, done);
                    listener.onCheckpoint(done);
                }, "checkpoint " + checkpointDir + "; continue with --resume");
                loss = step(vae, opt, disc, discOpt, data, step);
                double rate = (step - start) / ((System.nanoTime() - loopStart) / 1e9);
                listener.onStep(step, config.steps(), loss, rate);
                if (step % config.checkpointEvery() == 0 || step == config.steps()) {
                    saveCheckpoint(vae, opt, disc, discOpt, checkpointDir, step);
                    saved = step;
                    listener.onCheckpoint(step);
                }
                if (config.evalEvery() > 0 && step % config.evalEvery() == 0 && step != config.steps()) {
                    listener.onEval(step, VaeEvaluation.psnr(vae, heldOut, config.batch()));
                }
            }
            trained.values().forEach(p -> p.setRequiresGradient(false));
            double psnr = VaeEvaluation.psnr(vae, heldOut, config.batch());
            listener.onEval(config.steps(), psnr);
            // Decoder-only: the encoder is the init's, bit for bit, so its latents keep their normalisation.
            LatentNormalization norm = config.decoderOnly() ? init.normalization()
                    : VaeEvaluation.latentNormalization(vae, images, config.batch(), STATS_IMAGES);
            export(vae, outDir, norm, psnr);
            return new VaeTrainResult(psnr, config.steps(), norm.scale(), norm.shift(),
                    (System.nanoTime() - t0) / 1e9, loss);
        }
    }

    /** Adam's betas for the discriminator, as LDM's (0.5, 0.9). */
    static final double DISC_BETA1 = 0.5;
    static final double DISC_BETA2 = 0.9;
    /** Prefix of the discriminator's tensors in a checkpoint. */
    static final String DISC_PREFIX = "discriminator.";

    /** The parameters the optimizer updates: every one, or with decoderOnly the decoder's. */
    private Map<String, NDArray> trainedParameters(Autoencoder vae) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        vae.parameters().forEach((k, v) -> {
            if (!config.decoderOnly() || k.startsWith("decoder.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, NDArray> prefixed(Map<String, NDArray> params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(DISC_PREFIX + k, v));
        return out;
    }

    /**
     * Loads the weights of the autoencoder to start from: {@code dir/vae/weights.safetensors} (what
     * {@code vae train} exports at its last step), or else the model tensors of
     * {@code dir/checkpoints/vae}; its {@code vae/config.json} must describe this architecture.
     */
    private VaeInfo loadInit(Autoencoder vae, Path dir) {
        VaeInfo info = VaeInfo.read(dir);
        if (!model.equals(info.architecture())) {
            throw LdmException.badInput(dir + ": the autoencoder to start from is " + info.architecture()
                    + ", not " + model);
        }
        Path weights = dir.resolve(VaeInfo.WEIGHTS);
        Path checkpoint = dir.resolve(CHECKPOINT_DIR);
        if (Files.isRegularFile(weights)) {
            vae.loadStateDict(Safetensors.read(weights), weights.toString());
        } else if (Checkpoint.exists(checkpoint)) {
            vae.loadStateDict(Checkpoint.load(checkpoint).model(), checkpoint.resolve(Checkpoint.FILE).toString());
        } else {
            throw LdmException.badInput(dir + ": no " + VaeInfo.WEIGHTS + " or " + CHECKPOINT_DIR
                    + " to start from");
        }
        return info;
    }

    /**
     * One optimizer step on the batch of {@code step}; returns its loss. With the adversarial term,
     * the adaptive weight needs the gradients of the reconstruction and adversarial losses at the
     * decoder's last layer apart. They are taken on a detached branch: the last layer is applied
     * again to a copy of its input that is cut from the graph, each loss is back-propagated there
     * alone (which reaches only that layer, and the discriminator), the weight's gradient norm is
     * read and the gradients are zeroed. The last layer's weight is a leaf whose gradient depends
     * only on its input and on what follows it, so these are exactly the gradients LDM's
     * {@code torch.autograd.grad} would give. Then the whole loss is back-propagated once, the
     * discriminator's gradients from it are dropped, the autoencoder steps, and the discriminator
     * steps on the same batch (originals against detached reconstructions).
     */
    private double step(Autoencoder vae, AdamW opt, PatchDiscriminator disc, AdamW discOpt, VaeData data,
            long step) {
        NDManager m = vae.manager();
        int f = model.downsampleFactor();
        boolean gan = disc != null && config.ganAt(step);
        try (NDScope scope = new NDScope()) {
            NDArray x = data.batch(m, step, config.batch());                        // [B, 3, H, W]
            Shape s = x.getShape();
            Shape latent = new Shape(s.get(0), model.latentChannels(), s.get(2) / f, s.get(3) / f);
            float[] noise = Rng.stream(config.seed(), "vae-noise-" + step).gaussian((int) latent.size());
            NDArray eps = m.create(noise, latent);                                  // [B, L, h, w]
            double loss;
            NDArray recon;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList posterior = vae.encode(x);              // no graph when the encoder is frozen
                NDArray mean = posterior.get(0);                                    // [B, L, h, w]
                NDArray logvar = posterior.get(1);                                  // [B, L, h, w]
                NDArray z = mean.add(logvar.mul(Nd.scalar(m, 0.5f)).exp().mul(eps)); // [B, L, h, w]
                NDArray features = vae.decoder().features(z);                       // [B, C0, H, W]
                recon = vae.decoder().head(features);                               // [B, 3, H, W]
                NDArray total = VaeLoss.reconstruction(recon, x, config.l1(), config.ssimWeight());
                if (!config.decoderOnly()) { // with a frozen encoder the KL term is a constant
                    NDArray kl = VaeLoss.klSum(mean, logvar).mul(Nd.scalar(m, 1f / x.size()));
                    total = total.add(kl.mul(Nd.scalar(m, (float) config.klWeight())));
                }
                if (gan) {
                    NDArray cut = features.stopGradient();
                    NDArray last = vae.decoder().convOut().parameters().get("weight");
                    double recNorm = lastLayerNorm(gc, last, vae, disc,
                            VaeLoss.reconstruction(vae.decoder().head(cut), x, config.l1(), config.ssimWeight()));
                    double ganNorm = lastLayerNorm(gc, last, vae, disc,
                            AdversarialLoss.generator(disc.forward(vae.decoder().head(cut))));
                    double weight = AdversarialLoss.adaptiveWeight(recNorm, ganNorm, config.ganWeight());
                    NDArray adversarial = AdversarialLoss.generator(disc.forward(recon));
                    total = total.add(adversarial.mul(Nd.scalar(m, (float) weight)));
                }
                gc.backward(total);
                loss = total.getFloat();
            }
            if (!Double.isFinite(loss)) {
                throw LdmException.failure("VAE training diverged at step " + step + " (loss " + loss
                        + "); lower the learning rate", null);
            }
            if (gan) {
                zeroGradients(disc.parameters().values()); // what the generator's term left there
            }
            opt.update(config.lrAt(step));
            if (gan) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray d = AdversarialLoss.discriminator(disc.forward(x), disc.forward(recon.stopGradient()));
                    gc.backward(d);
                }
                discOpt.update(config.lrAt(step));
            }
            return loss;
        }
    }

    /**
     * Back-propagates {@code loss} (built on a detached copy of the last layer's input) and returns
     * the norm of the gradient it leaves on the last layer's weight; then zeroes every gradient it
     * reached (the last layer's, and the discriminator's).
     */
    static double lastLayerNorm(GradientCollector gc, NDArray weight, Autoencoder vae, PatchDiscriminator disc,
            NDArray loss) {
        gc.backward(loss);
        double norm = Math.sqrt(weight.getGradient().square().sum().getFloat());
        zeroGradients(vae.decoder().convOut().parameters().values());
        zeroGradients(disc.parameters().values());
        return norm;
    }

    static void zeroGradients(java.util.Collection<NDArray> params) {
        for (NDArray p : params) {
            if (p.hasGradient()) {
                p.getGradient().set(new NDIndex("..."), 0f);
            }
        }
    }

    private void saveCheckpoint(Autoencoder vae, AdamW opt, PatchDiscriminator disc, AdamW discOpt, Path dir,
            long step) {
        Map<String, Tensor> weights = new LinkedHashMap<>(vae.stateDict());
        Map<String, Tensor> moments = new LinkedHashMap<>(opt.state());
        if (disc != null) {
            disc.stateDict().forEach((k, v) -> weights.put(DISC_PREFIX + k, v));
            moments.putAll(discOpt.state());
        }
        Checkpoint.save(dir, new Checkpoint.State(step, weights, Map.of(), moments,
                Map.of("vae_config", Json.compact(model), "train_config", Json.compact(config),
                        "rng", "streams of seed " + config.seed() + " keyed by step")));
    }

    /** Loads a checkpoint into the models and optimizers after checking it belongs to this run; returns its step. */
    private long restore(Autoencoder vae, AdamW opt, PatchDiscriminator disc, AdamW discOpt, Path dir) {
        String file = dir.resolve(Checkpoint.FILE).toString();
        Checkpoint.State s = Checkpoint.load(dir);
        VaeConfig savedModel = s.metadata("vae_config", VaeConfig.class, file, "VAE");
        if (!model.equals(savedModel)) {
            throw LdmException.badInput(file + ": checkpoint was made for VAE config " + savedModel + ", not " + model);
        }
        VaeTrainConfig old = s.metadata("train_config", VaeTrainConfig.class, file, "VAE");
        if (old.batch() != config.batch() || old.seed() != config.seed()) {
            throw LdmException.badInput(file + ": resume needs the batch size and seed of the checkpoint ("
                    + old.batch() + ", " + old.seed() + ")");
        }
        if (old.decoderOnly() != config.decoderOnly() || old.ssimWeight() != config.ssimWeight()
                || old.ganWeight() != config.ganWeight() || old.ganStart() != config.ganStart()) {
            throw LdmException.badInput(file + ": resume needs the checkpoint's --decoder-only, --ssim-weight, "
                    + "--gan-weight and --gan-start (" + old.decoderOnly() + ", " + old.ssimWeight() + ", "
                    + old.ganWeight() + ", " + old.ganStart() + ")");
        }
        if (s.step() > config.steps()) {
            throw LdmException.badInput(file + ": checkpoint is at step " + s.step() + ", beyond steps " + config.steps());
        }
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Tensor> discWeights = new LinkedHashMap<>();
        s.model().forEach((k, v) -> {
            if (k.startsWith(DISC_PREFIX)) {
                discWeights.put(k.substring(DISC_PREFIX.length()), v);
            } else {
                own.put(k, v);
            }
        });
        int discParams = disc == null ? 0 : disc.parameters().size();
        if (s.optimizer().size() != 2 * (trainedParameters(vae).size() + discParams)) {
            throw LdmException.badInput(file + ": checkpoint optimizer state does not match the model");
        }
        vae.loadStateDict(own, file);
        opt.loadState(s.optimizer(), s.step());
        if (disc != null) {
            disc.loadStateDict(discWeights, file);
            discOpt.loadState(s.optimizer(), Math.max(0, s.step() - config.ganStart()));
        }
        return s.step();
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
