package dev.ldm.jobs;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DepthGrowth;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.optim.Checkpoint;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEncoder;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.train.DiTTrainer;
import dev.ldm.train.LatentCache;
import dev.ldm.train.TrainConfig;
import dev.ldm.vae.VaeDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ldm train}, callable as a method: image folder → latent cache → DiT training → model folder
 * (dit/ with EMA weights, model.json with provenance), with sample grids and checkpoints on the way.
 */
public final class TrainJob {
    /** What a run produced (also printed with --json). */
    public record Outcome(long steps, long resumedFrom, double finalLoss, double seconds, int images, int skipped,
            long parameters, double[] lossByTimestep, String modelDir) {}

    /**
     * Where a run starts and which of its checkpoints it keeps.
     *
     * @param resume continue from the output folder's checkpoint when it has one
     * @param from a checkpoint (a file, or a folder holding {@link Checkpoint#FILE}) to continue from when
     *     the output folder has none yet: a fork of another run, for example a kept checkpoint cooled down
     *     in a folder of its own while the run goes on (null: none)
     * @param keepEvery keep the checkpoint of every step that is a multiple of this
     *     ({@link Checkpoint#keep}; 0: none), a multiple of the checkpoint interval
     */
    public record Checkpoints(boolean resume, Path from, int keepEvery) {
        /** @throws LdmException bad input when kept steps would not be checkpoint steps */
        void check(int checkpointEvery) {
            if (keepEvery < 0 || keepEvery % checkpointEvery != 0) {
                throw LdmException.badInput("--keep-every must be a multiple of --checkpoint-every (" + checkpointEvery
                        + "), not " + keepEvery);
            }
        }
    }

    private final List<Path> data;
    private final Path out;
    private final Path vaeDir;
    private final String preset;
    private final Integer depth;
    private final int patch;
    private final int size;
    private final int textLength;
    private final TrainConfig config;
    private final Checkpoints checkpoints;
    private final Path cacheDir;
    private final boolean fp16;
    private final double cfg;
    private final List<String> samplePrompts;
    private final Device device;
    private final AlignTargets.Request align;
    private final Path init;

    /**
     * A run that may align representations with a judge ({@code align}; null for none) and may start from
     * a trained model folder's DiT weights ({@code init}; null for a fresh initialisation). {@code depth}
     * overrides the preset's number of blocks (null keeps it); an {@code init} model with fewer blocks is
     * grown to it ({@link DepthGrowth}). {@code cacheDir} holds the encoded data (null: OUT/cache), so
     * that runs on the same data share it.
     */
    public TrainJob(List<Path> data, Path out, Path vaeDir, String preset, Integer depth, int patch, int size,
            int textLength, TrainConfig config, Checkpoints checkpoints, boolean fp16, double cfg,
            List<String> samplePrompts, Device device, AlignTargets.Request align, Path init, Path cacheDir) {
        checkpoints.check(config.checkpointEvery());
        this.align = align;
        this.init = init;
        this.data = List.copyOf(data);
        this.out = out;
        this.vaeDir = vaeDir;
        this.preset = preset;
        this.depth = depth;
        this.patch = patch;
        this.size = size;
        this.textLength = textLength;
        this.config = config;
        this.checkpoints = checkpoints;
        this.cacheDir = cacheDir != null ? cacheDir : out.resolve("cache");
        this.fp16 = fp16;
        this.cfg = cfg;
        this.samplePrompts = samplePrompts;
        this.device = device;
    }

    public Outcome run(JobEvents events) {
        ModelFolder initModel = init == null ? null : ModelFolder.open(ModelFolder.locate(init));
        VaeParts vae = vaeDir == null && initModel != null ? new VaeParts(initModel.dir(), initModel.manifest().vae())
                : VaeParts.find(vaeDir != null ? vaeDir : VaeParts.present(out) ? out : Path.of(ModelFolder.DEFAULT));
        int latentSide = vae.spec().latentSide(size, patch);
        List<dev.ldm.data.Sample> samples = new java.util.ArrayList<>();
        for (Path folder : data) {
            samples.addAll(ImageFolder.scan(folder));
        }
        TextEncoderConfig textConfig = TextEncoderConfig.builtin(textLength);
        DiTConfig presetConfig = DiTConfig.preset(preset, latentSide, vae.spec().latentChannels(),
                textConfig.hiddenSize(), textLength).withPatchSize(patch);
        DiTConfig modelConfig = depth == null ? presetConfig : presetConfig.withDepth(depth);
        Map<String, Tensor> initialWeights = initModel == null ? null
                : initialWeights(initModel, modelConfig, vae, config.seed());
        Path checkpointDir = out.resolve("checkpoints").resolve("dit");
        if (checkpoints.from() != null && !Checkpoint.exists(checkpointDir)) { // a re-run continues its own
            fork(Checkpoint.locate(checkpoints.from(), "--resume-from"), checkpointDir, modelConfig);
        }
        try (AlignTargets judge = align == null ? null : AlignTargets.open(align, modelConfig); // checked before encoding
                TextEncoder text = TextEncoder.open(textConfig, out, device)) {
            LatentData.Encoded encoded = LatentData.loadOrEncode(cacheDir, samples, size, vae, text,
                    textConfig, device, false, events::warning, judge == null ? images -> { } : judge::score);
            LatentCache cache = encoded.cache();
            int skipped = encoded.skipped();
            dev.ldm.train.Alignment alignment = judge == null ? null
                    : judge.load(cacheDir, samples, size, vae, textConfig, encoded, modelConfig);
            DiTTrainer trainer = new DiTTrainer(modelConfig, config, cache, checkpointDir, alignment);
            List<String> prompts = samplePrompts != null && !samplePrompts.isEmpty() ? samplePrompts
                    : SampleGrid.distinct(cache.captions(), 8);
            DiTTrainer.Result r;
            try (VaeDecoder dec = VaeDecoder.open(vae.decoder(), device)) {
                boolean resume = checkpoints.resume() || checkpoints.from() != null;
                r = trainer.run(resume, initialWeights, new DiTTrainer.Listener() {
                    @Override
                    public void onCheckpoint(long step) {
                        if (checkpoints.keepEvery() > 0 && step % checkpoints.keepEvery() == 0) {
                            Checkpoint.keep(checkpointDir, step);
                        }
                    }

                    @Override
                    public void onStep(long step, double loss, double lr) {
                        events.step(step, config.steps(), loss, lr);
                    }

                    @Override
                    public void onStep(long step, double loss, double alignTerm, double lr) {
                        events.step(step, config.steps(), loss, alignTerm, lr);
                    }

                    @Override
                    public void onSample(long step, Map<String, Tensor> ema) {
                        SampleGrid.write(SampleGrid.file(out, step), modelConfig, ema, text, dec, vae.spec(), prompts,
                                size);
                    }
                });
            }
            Safetensors.DType dtype = fp16 ? Safetensors.DType.F16 : Safetensors.DType.F32;
            try (NDManager m = NDManager.newBaseManager()) {
                DiT dit = DiT.fromWeights(m, modelConfig, r.emaWeights(), "EMA weights");
                DiTWeights.save(dit, out.resolve("dit"), dtype);
                writeManifest(vae, textConfig, modelConfig, r, cache.size(), dit.parameterCount(),
                        judge == null ? null : judge.judgeIdentity(), initModel);
                return new Outcome(r.steps(), r.startStep(), r.finalLoss(), r.seconds(), cache.size(), skipped,
                        dit.parameterCount(), r.lossByTimestep(), out.toString());
            }
        }
    }

    /**
     * Starts the output folder's checkpoint as a copy of {@code file}, once it is known to continue this
     * run's DiT (checked before anything is encoded); the trainer then checks the rest as for any resume.
     */
    private static void fork(Path file, Path checkpointDir, DiTConfig modelConfig) {
        Checkpoint.State s = Checkpoint.loadFile(file);
        DiTTrainer.requireModelConfig(s, modelConfig, "--resume-from " + file);
        Checkpoint.copy(file, checkpointDir);
    }

    /**
     * The DiT weights of {@code --init}'s model, checked before anything is encoded: the model must have
     * this run's DiT, and its autoencoder must make the latents this run trains on (same channels,
     * factor, scale and shift), or its weights would be trained on latents they were not made for. A
     * model with fewer blocks and otherwise this run's DiT is grown to this run's depth.
     */
    private static Map<String, Tensor> initialWeights(ModelFolder model, DiTConfig config, VaeParts vae, long seed) {
        DiTConfig theirs = DiTConfig.load(model.ditDir());
        boolean grow = DepthGrowth.deepens(theirs, config);
        if (!theirs.equals(config) && !grow) {
            throw LdmException.badInput("--init " + model.dir() + ": its DiT is " + Json.compact(theirs)
                    + ", but this run builds " + Json.compact(config) + " (give the same --preset, --patch, --size "
                    + "and --text-length; --depth may only add blocks)");
        }
        ModelManifest.VaeSpec a = model.manifest().vae();
        ModelManifest.VaeSpec b = vae.spec();
        if (a.latentChannels() != b.latentChannels() || a.downsampleFactor() != b.downsampleFactor()
                || a.scalingFactor() != b.scalingFactor() || a.shiftFactor() != b.shiftFactor()) {
            throw LdmException.badInput("--init " + model.dir() + ": its autoencoder (" + a.latentChannels()
                    + " channels, scale " + a.scalingFactor() + ", shift " + a.shiftFactor() + ") is not --vae "
                    + vae.dir() + "'s (" + b.latentChannels() + " channels, scale " + b.scalingFactor() + ", shift "
                    + b.shiftFactor() + ")");
        }
        Map<String, Tensor> weights = Safetensors.read(model.ditDir().resolve(DiTWeights.FILE));
        return grow ? DepthGrowth.deepen(weights, theirs, config, seed) : weights;
    }

    private void writeManifest(VaeParts vae, TextEncoderConfig textConfig, DiTConfig modelConfig,
            DiTTrainer.Result r, int images, long params, String judgeIdentity, ModelFolder initModel) {
        ModelManifest.VaeSpec spec = vae.spec();
        Path outAbs = out.toAbsolutePath().normalize();
        Path vaeAbs = vae.dir().toAbsolutePath().normalize();
        if (!outAbs.equals(vaeAbs)) {
            copyVae(vae);
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("data", data.size() == 1 ? data.get(0).toString() : data.toString());
        prov.put("images", images);
        prov.put("dit_preset", preset);
        if (depth != null) {
            prov.put("dit_depth", depth);
        }
        prov.put("dit_parameters", params);
        prov.put("train", config);
        if (align != null) { // the projector is discarded: only how the run was aligned is recorded
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("judge", align.judge().toAbsolutePath().normalize().toString());
            a.put("judge_hash", judgeIdentity);
            a.put("weight", align.weight());
            a.put("depth", align.depth());
            prov.put("align", a);
        }
        if (initModel != null) { // a warm start: the steps below count from the model's weights
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("model", initModel.dir().toAbsolutePath().normalize().toString());
            i.put("hash", initModel.hash());
            int initDepth = DiTConfig.load(initModel.ditDir()).depth();
            if (initDepth != modelConfig.depth()) { // grown: its blocks came first, the rest started as identities
                i.put("depth", initDepth);
            }
            Object steps = initModel.manifest().provenance() == null ? null
                    : initModel.manifest().provenance().get("steps");
            if (steps instanceof Number n) { // JSON numbers read back as doubles; steps are whole
                i.put("steps", n.longValue());
            }
            prov.put("init", i);
        }
        prov.put("steps", r.steps());
        if (Double.isFinite(r.finalLoss())) {
            prov.put("final_loss", r.finalLoss());
        }
        prov.put("train_seconds_this_run", r.seconds());
        new ModelFolder(out, new ModelManifest(ModelManifest.FORMAT, out.toAbsolutePath().getFileName().toString(),
                textConfig, spec, "dit", new ModelManifest.Defaults(size, 30, cfg, "euler", 1.0), prov)).write();
    }

    private void copyVae(VaeParts vae) {
        for (String rel : List.of(vae.spec().encoder(), vae.spec().decoder())) {
            Path src = vae.dir().resolve(rel);
            Path dst = out.resolve(rel);
            dev.ldm.io.AtomicFiles.write(dst, o -> Files.copy(src, o));
        }
    }
}
