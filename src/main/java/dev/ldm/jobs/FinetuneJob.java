package dev.ldm.jobs;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.lora.LoraConfig;
import dev.ldm.lora.LoraFile;
import dev.ldm.lora.LoraMerge;
import dev.ldm.lora.LoraNetwork;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEncoder;
import dev.ldm.train.DiTTrainer;
import dev.ldm.train.LatentCache;
import dev.ldm.train.TrainConfig;
import dev.ldm.vae.VaeDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ldm finetune}, callable as a method: a base model folder plus a captioned image folder (the
 * fine-tuning tools' conventions: caption files, {@code N_name} repeat folders, a trigger word) →
 * latent cache (encoded once with the base model's frozen VAE encoder and text encoder) → DiT
 * training that starts from the base weights → either a complete model folder (full fine-tuning) or
 * a small LoRA file (with {@code --lora}). Sample grids, EMA, loss by timestep and exact resume come
 * from {@link DiTTrainer}.
 *
 * <p>A cascade (a base model with a draft model) is fine-tuned in two stages with the same data and
 * settings: first its draft model, at the draft's size and with the draft's VAE, into
 * {@code OUT/<draft>}; then its own DiT. The draft decides the composition at the cascade's default
 * strength, so a style learnt by the second stage alone shows little (the style study in docs/RESEARCH.md).
 * A LoRA of a cascade is one file with both stages' adapters ({@link LoraFile#draft()}).
 */
public final class FinetuneJob {
    /** Checkpoint folder inside OUT. */
    public static final String CHECKPOINTS = "checkpoints/finetune";

    /**
     * What to fine-tune and how.
     *
     * @param from base model folder
     * @param data image folder
     * @param out output folder (a model folder, or for LoRA the folder of {@value LoraFile#FILE})
     * @param captionExtension caption file extension
     * @param trigger word prepended to every caption ("WORD, caption"), or null
     * @param lora LoRA shape, or null for full fine-tuning
     * @param train optimisation settings
     * @param resume continue from OUT's checkpoint
     * @param fp16 store a full fine-tune's weights as fp16
     * @param samplePrompts prompts of the sample grids (null: the first distinct captions)
     * @param cacheDir latent cache folder (null: OUT/cache)
     * @param device where ONNX Runtime runs
     * @param priorPrompts prompts whose base-model images are trained on beside the data (prior
     *     preservation, {@link PriorImages}), or empty for none
     * @param priorPerPrompt images drawn per prior prompt
     * @param keepDraft for a cascade, fine-tune its DiT only and keep the draft model as it is
     */
    public record Settings(Path from, Path data, Path out, String captionExtension, String trigger, LoraConfig lora,
            TrainConfig train, boolean resume, boolean fp16, List<String> samplePrompts, Path cacheDir,
            Device device, List<String> priorPrompts, int priorPerPrompt, boolean keepDraft) {
        public Settings {
            priorPrompts = priorPrompts == null ? List.of() : List.copyOf(priorPrompts);
        }

        /** The draft stage of a cascade: the same data and settings, the draft model as base, OUT/{@code dir}. */
        Settings draftStage(Path draftDir, String dir) {
            return new Settings(draftDir, data, out.resolve(dir), captionExtension, trigger, lora, train, resume, fp16,
                    samplePrompts, cacheDir == null ? null : cacheDir.resolve(dir), device, priorPrompts,
                    priorPerPrompt, true);
        }
    }


    /** Where the prior-preservation images are drawn: OUT/prior. */
    public static final String PRIOR_DIR = "prior";

    /**
     * What a run produced (printed with --json, and written to OUT/finetune.json); {@code draft} is the
     * draft stage's of a cascade, or null.
     */
    public record Outcome(String mode, long steps, long resumedFrom, double finalLoss, double seconds, int images,
            int rows, long trainableParameters, double[] lossByTimestep, String output, String baseModel,
            String baseModelHash, Outcome draft) {}

    /** The base model's parts, read once. */
    record Base(ModelFolder folder, DiTConfig config, Map<String, Tensor> weights, String hash, VaeParts vae,
            int size) {}

    private final Settings s;

    public FinetuneJob(Settings settings) {
        this.s = settings;
    }

    public Outcome run(JobEvents events) {
        Base base = openBase();
        String draftDir = base.folder().manifest().draft();
        Outcome draft = null;
        if (draftDir != null && !s.keepDraft()) {
            Settings stage = s.draftStage(base.folder().resolve(draftDir), draftDir);
            draft = new FinetuneJob(stage).run(offset(events, 0, 2 * s.train().steps()));
            events = offset(events, s.train().steps(), 2 * s.train().steps());
        }
        List<ImageFolder.Repeated> items = ImageFolder.scanRepeated(s.data(), s.captionExtension());
        List<Sample> samples = new java.util.ArrayList<>(items.stream().map(i -> new Sample(i.sample().image(),
                i.sample().captions().stream().map(c -> ImageFolder.withTrigger(s.trigger(), c)).toList())).toList());
        List<Integer> repeatList = new java.util.ArrayList<>(items.stream().map(ImageFolder.Repeated::repeats).toList());
        if (!s.priorPrompts().isEmpty()) { // the base model's own images, captioned without the trigger
            List<Sample> prior = PriorImages.ensure(base.folder(), s.device(), s.priorPrompts(), s.priorPerPrompt(),
                    s.train().seed(), s.out().resolve(PRIOR_DIR), events);
            samples.addAll(prior);
            prior.forEach(p -> repeatList.add(1));
        }
        int[] repeats = repeatList.stream().mapToInt(Integer::intValue).toArray();
        ModelManifest man = base.folder().manifest();
        Path cacheDir = s.cacheDir() != null ? s.cacheDir() : s.out().resolve("cache");
        try (TextEncoder text = TextEncoder.open(man.textEncoder(), base.folder().dir(), s.device())) {
            LatentCache unique = LatentData.loadOrEncode(cacheDir, samples, base.size(), base.vae(), text,
                    man.textEncoder(), s.device(), true, events::warning).cache();
            LatentCache cache = repeat(unique, repeats);
            DiTTrainer.Trainable trainable = s.lora() == null ? DiTTrainer.Trainable.full("full from " + base.hash())
                    : new LoraNetwork(s.lora(), s.train().seed(), base.hash());
            DiTTrainer trainer = new DiTTrainer(base.config(), s.train(), cache, s.out().resolve(CHECKPOINTS));
            List<String> prompts = s.samplePrompts() != null && !s.samplePrompts().isEmpty() ? s.samplePrompts()
                    : SampleGrid.distinct(unique.captions(), 8);
            DiTTrainer.Result r;
            try (VaeDecoder dec = VaeDecoder.open(base.vae().decoder(), s.device())) {
                r = trainer.run(s.resume(), base.weights(), trainable,
                        listener(events, (step, ema) -> sample(base, ema, step, text, dec, prompts)));
            }
            long trainable0 = r.weights().values().stream().mapToLong(t -> t.data().length).sum();
            String output = new FinetuneOutput(s, base).write(r, unique.size(), cache.size(), draft);
            Outcome o = new Outcome(s.lora() == null ? "full" : "lora", r.steps(), r.startStep(), r.finalLoss(),
                    r.seconds(), unique.size(), cache.size(), trainable0, r.lossByTimestep(), output,
                    base.folder().name(), base.hash(), draft);
            dev.ldm.io.Json.write(s.out().resolve("finetune.json"), o);
            return o;
        }
    }

    /** Reads the base model and checks that it can be fine-tuned into OUT. */
    private Base openBase() {
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(s.from()));
        if (sameFolder(folder.dir(), s.out())) {
            throw LdmException.badInput(s.out() + ": --out must differ from --from (the base model stays as it is)");
        }
        ModelManifest man = folder.manifest();
        String encoder = man.vae().encoder();
        if (encoder == null || encoder.isBlank() || !Files.isRegularFile(folder.resolve(encoder))) {
            throw LdmException.badInput(folder.dir().resolve(ModelFolder.MANIFEST)
                    + ": the base model has no VAE encoder file (vae.encoder), which fine-tuning needs");
        }
        DiTConfig config = DiTConfig.load(folder.ditDir());
        int size = man.defaults().size();
        int factor = man.vae().downsampleFactor();
        if (size % factor != 0 || size / factor != config.inputSize()) {
            throw LdmException.badInput(folder.dir().resolve(ModelFolder.MANIFEST) + ": defaults.size " + size
                    + " does not give the DiT's " + config.inputSize() + "-latent input (VAE factor " + factor + ")");
        }
        Map<String, Tensor> weights = Safetensors.read(folder.ditDir().resolve(DiTWeights.FILE));
        return new Base(folder, config, weights, folder.hash(), new VaeParts(folder.dir(), man.vae()), size);
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (java.io.IOException e) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** A grid with the EMA weights: the DiT's own (full) or the base with the EMA LoRA merged. */
    private void sample(Base base, Map<String, Tensor> ema, long step, TextEncoder text, VaeDecoder dec,
            List<String> prompts) {
        Path file = SampleGrid.file(s.out(), step);
        if (s.lora() == null) {
            SampleGrid.write(file, base.config(), ema, text, dec, base.folder().manifest().vae(), prompts, base.size());
            return;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiT.fromWeights(m, base.config(), base.weights(), "base weights");
            LoraMerge.merge(dit, new LoraFile(s.lora(), ema, base.hash(), Map.of()), 1.0, "EMA LoRA");
            SampleGrid.write(file, m, dit, text, dec, base.folder().manifest().vae(), prompts, base.size());
        }
    }

    /** The events of one stage of a cascade's fine-tune: its steps numbered after {@code before}, out of {@code total}. */
    private static JobEvents offset(JobEvents events, long before, long total) {
        return new JobEvents() {
            @Override
            public void warning(String message) {
                events.warning(message);
            }

            @Override
            public void step(long step, long ignored, double loss, double lr) {
                events.step(before + step, total, loss, lr);
            }

            @Override
            public void step(long step, long ignored, double loss, double align, double lr) {
                events.step(before + step, total, loss, align, lr);
            }

            @Override
            public void evaluated(long step, String measure, double value) {
                events.evaluated(before + step, measure, value);
            }
        };
    }

    private interface Sampler {
        void sample(long step, Map<String, Tensor> ema);
    }

    private DiTTrainer.Listener listener(JobEvents events, Sampler sampler) {
        long total = s.train().steps();
        return new DiTTrainer.Listener() {
            @Override
            public void onStep(long step, double loss, double lr) {
                events.step(step, total, loss, lr);
            }

            @Override
            public void onSample(long step, Map<String, Tensor> ema) {
                sampler.sample(step, ema);
            }
        };
    }

    /** The cache with row i repeated {@code repeats[i]} times (kohya's N_name folders), in place order. */
    static LatentCache repeat(LatentCache c, int[] repeats) {
        if (repeats.length != c.size()) {
            throw LdmException.badInput("the latent cache holds " + c.size() + " rows but the data folder has "
                    + repeats.length + " images (delete the cache file to rebuild it)");
        }
        if (java.util.Arrays.stream(repeats).allMatch(r -> r == 1)) {
            return c;
        }
        return c.repeat(repeats);
    }

}
