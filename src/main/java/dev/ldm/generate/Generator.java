package dev.ldm.generate;

import static dev.ldm.io.Closeables.closeQuietly;

import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.flow.ClassifierFreeGuidance;
import dev.ldm.flow.ColourPlane;
import dev.ldm.flow.LowFrequencyAnchor;
import dev.ldm.flow.Sampler;
import dev.ldm.flow.Samplers;
import dev.ldm.flow.Schedule;
import dev.ldm.flow.SdEdit;
import dev.ldm.flow.StepListener;
import dev.ldm.flow.VelocityField;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.image.DominantColour;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.lora.LoraFile;
import dev.ldm.lora.LoraMerge;
import dev.ldm.lora.LoraRef;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.model.OnnxDiT;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import dev.ldm.util.Rng;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeDecoder;
import dev.ldm.vae.VaeEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Text to image with a loaded model: text encoder (ONNX) → sampler over the DiT (DJL, or ONNX
 * Runtime on an in-memory export of the same weights: {@link DiTRuntime}) with classifier-free
 * guidance → VAE decoder (ONNX); for img2img the VAE encoder (ONNX, opened on first use) gives the
 * starting latent. Loads each part once; {@link #generate} may be called many times.
 * The sampling loop lives in the sampler, not here; it runs on host tensors, so with the DiT in
 * ONNX Runtime and no LoRA the PyTorch engine is never started (its start was a second of every
 * {@code ldm generate}).
 *
 * <p>A model folder may name a draft model (a cascade, like the "hires fix" of AUTOMATIC1111's web UI
 * or Imagen's and SDXL's stages): the draft draws the prompt at its own, smaller size, the image is
 * upscaled and encoded by this model's VAE, and this model redraws it from time S (SDEdit). The
 * draft model decides the composition, where a small model learns fastest; this model adds its
 * resolution. Image i of a batch uses seed + i in both stages, so it is the image that
 * {@code --init-image} with the draft's own PNG at strength S gives. The draft shares this model's
 * text encoder when their configurations agree.
 */
public final class Generator implements AutoCloseable {
    /** The runtime of {@link #open(ModelFolder, Device, List)}. */
    public static final DiTRuntime DEFAULT_RUNTIME = DiTRuntime.parse(DiTRuntime.DEFAULT_NAME);

    /** Per-call DJL arrays; null until the DJL model is needed (never, when ONNX Runtime samples from the file). */
    private NDManager manager;
    private final DiTConfig config;
    /** The DJL model; with ONNX Runtime and no LoRA, null until {@link #dit()} asks (sampling does not). */
    private DiT dit;
    /** The DiT in ONNX Runtime, or null when DJL runs it. */
    private final OnnxDiT onnxDit;
    /** With ONNX Runtime: the DiT's graphs for other image sizes than the model's, by latent side, made on first use. */
    private final java.util.Map<Integer, OnnxDiT> resized = new java.util.HashMap<>();
    private final TextEncoder text;
    private final VaeDecoder decoder;
    private final ModelManifest.VaeSpec vae;
    private final LatentNormalization norm;
    private final boolean owner;
    /** False for a draft model that uses its cascade's text encoder. */
    private final boolean ownsText;
    /** The draft model of a cascade, or null. */
    private final Generator draft;
    private final ModelFolder folder;
    private final Device device;
    private VaeEncoder encoder;

    private Generator(NDManager manager, DiT dit, OnnxDiT onnxDit, TextEncoder text, VaeDecoder decoder,
            ModelManifest.VaeSpec vae, ModelFolder folder, Device device, Generator draft, boolean ownsText) {
        this.manager = manager;
        this.config = dit != null ? dit.config() : onnxDit.config();
        this.dit = dit;
        this.onnxDit = onnxDit;
        this.text = text;
        this.decoder = decoder;
        this.vae = vae;
        this.norm = vae.normalization();
        this.owner = folder != null;
        this.ownsText = ownsText;
        this.draft = draft;
        this.folder = folder;
        this.device = device;
    }

    /**
     * A generator over parts the caller owns and closes (training samples with its EMA weights).
     * {@code manager} holds the per-call arrays and stays open. It has no VAE encoder, so no img2img.
     */
    public static Generator ofParts(NDManager manager, DiT dit, TextEncoder text, VaeDecoder decoder,
            ModelManifest.VaeSpec vae) {
        return new Generator(manager, dit, null, text, decoder, vae, null, null, null, false);
    }

    /** Opens every part of a model folder and checks that they fit together. */
    public static Generator open(ModelFolder model, Device device) {
        return open(model, device, List.of());
    }

    /** Opens a model folder with LoRAs merged, the DiT run by {@link #DEFAULT_RUNTIME}. */
    public static Generator open(ModelFolder model, Device device, List<LoraRef> loras) {
        return open(model, device, loras, DEFAULT_RUNTIME);
    }

    /**
     * Opens a model folder with LoRAs merged into its DiT weights at load time
     * (W' = W + weight·(alpha/r)·B·A, in the given order), so sampling costs what it costs without
     * them. A LoRA made for other base weights (hash) or another architecture (shapes) is refused.
     * With {@link DiTRuntime#ONNX} the DiT runs in ONNX Runtime on an in-memory export: without
     * LoRAs it is exported straight from the weights file on its own thread (no DJL model is built),
     * with LoRAs from the merged DJL model.
     */
    public static Generator open(ModelFolder model, Device device, List<LoraRef> loras, DiTRuntime runtime) {
        List<Merge> merges = new java.util.ArrayList<>();
        if (!loras.isEmpty()) {
            String hash = model.hash();
            ModelFolder draftFolder = draftFolder(model);
            String draftHash = draftFolder == null ? null : draftFolder.hash();
            for (LoraRef ref : loras) {
                LoraFile lora = ref.read();
                lora.requireBase(hash, draftHash, ref.file().toString());
                merges.add(new Merge(lora, ref.weight(), ref.file().toString()));
            }
        }
        return open(model, device, merges, runtime, null);
    }

    /**
     * A LoRA to merge, read and checked against the model's hash.
     *
     * @param lora the adapters of this stage (a cascade LoRA's draft part, for the draft model)
     * @param weight its strength
     * @param source the file, for errors
     */
    private record Merge(LoraFile lora, double weight, String source) {}

    /** The model's draft model, or null; a draft with a draft of its own is refused. */
    private static ModelFolder draftFolder(ModelFolder model) {
        ModelFolder draftFolder = model.draftFolder();
        if (draftFolder != null && draftFolder.manifest().draft() != null) {
            throw LdmException.badInput(model.dir().resolve(ModelFolder.MANIFEST)
                    + ": the draft model has a draft model of its own; a cascade has two stages");
        }
        return draftFolder;
    }

    /** {@link #open(ModelFolder, Device, List, DiTRuntime)} with the text encoder given (a draft model's) or not (null). */
    private static Generator open(ModelFolder model, Device device, List<Merge> loras, DiTRuntime runtime,
            CompletableFuture<TextEncoder> sharedText) {
        ModelManifest m = model.manifest();
        DiTConfig config = DiTConfig.load(model.ditDir());
        checkParts(model, config);
        ModelFolder draftFolder = draftFolder(model);
        // a cascade LoRA's draft adapters go into the draft model (their hash was checked with the file)
        List<Merge> draftLoras = loras.stream().filter(l -> l.lora().draft() != null)
                .map(l -> new Merge(l.lora().draft(), l.weight(), l.source() + " (draft adapters)")).toList();
        // The ONNX parts load on their own threads (and, for a DJL model, the DiT and the PyTorch
        // engine here): start-up is what a user waits for before the first step, and the machine has 2 cores.
        CompletableFuture<TextEncoder> textF = sharedText != null ? sharedText : CompletableFuture.supplyAsync(
                () -> TextEncoder.open(m.textEncoder(), model.dir(), device), Generator::daemon);
        boolean shareText = draftFolder != null && draftFolder.manifest().textEncoder().equals(m.textEncoder());
        CompletableFuture<Generator> draftF = draftFolder == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> open(draftFolder, device, draftLoras, runtime,
                        shareText ? textF : null), Generator::daemon);
        CompletableFuture<VaeDecoder> decoderF = CompletableFuture.supplyAsync(
                () -> VaeDecoder.open(model.resolve(m.vae().decoder()), device), Generator::daemon);
        boolean fromFile = runtime == DiTRuntime.ONNX && loras.isEmpty();
        CompletableFuture<OnnxDiT> onnxF = fromFile ? CompletableFuture.supplyAsync(
                () -> OnnxDiT.open(model.ditDir(), config, device), Generator::daemon)
                : CompletableFuture.completedFuture(null);
        NDManager manager = null;
        try {
            // The PyTorch engine starts only for a DJL model: the DJL runtime, or LoRAs to merge.
            manager = fromFile ? null : newManager(device);
            DiT dit = fromFile ? null : loadDiT(manager, model, loras);
            if (runtime == DiTRuntime.ONNX && !fromFile) {
                onnxF = CompletableFuture.completedFuture(OnnxDiT.open(dit, device));
            }
            return new Generator(manager, dit, join(onnxF), join(textF), join(decoderF), m.vae(), model, device,
                    join(draftF), sharedText == null);
        } catch (RuntimeException | Error e) {
            closeLater(draftF);
            if (sharedText == null) {
                closeLater(textF);
            }
            closeLater(decoderF);
            closeLater(onnxF);
            if (manager != null) {
                manager.close();
            }
            throw e;
        }
    }

    private static NDManager newManager(Device device) {
        return NDManager.newBaseManager(device == Device.CUDA ? ai.djl.Device.gpu() : ai.djl.Device.cpu());
    }

    /** The folder's DiT with the LoRAs merged into its weights. */
    private static DiT loadDiT(NDManager manager, ModelFolder model, List<Merge> loras) {
        DiT dit = DiTWeights.load(manager, model.ditDir());
        for (Merge l : loras) {
            LoraMerge.merge(dit, l.lora(), l.weight(), l.source());
        }
        return dit;
    }

    /** The DiT must take the VAE's latents and the text encoder's states. */
    private static void checkParts(ModelFolder model, DiTConfig c) {
        ModelManifest m = model.manifest();
        if (c.inChannels() != m.vae().latentChannels()) {
            throw LdmException.badInput(model.dir() + ": the DiT takes " + c.inChannels()
                    + " latent channels but the VAE has " + m.vae().latentChannels());
        }
        if (c.textDim() != m.textEncoder().hiddenSize()) {
            throw LdmException.badInput(model.dir() + ": the DiT expects text states of width " + c.textDim()
                    + " but the text encoder gives " + m.textEncoder().hiddenSize());
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "ldm-load");
        t.setDaemon(true);
        t.start();
    }

    /** The value of a loading task, with its own exception (not a CompletionException). */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Closes what a loading task opens, when it finishes, if the whole open failed (without waiting). */
    private static void closeLater(CompletableFuture<? extends AutoCloseable> f) {
        f.whenComplete((part, error) -> closeQuietly(part));
    }


    /** The DJL model of the DiT (read from the model folder on first call if sampling runs in ONNX Runtime). */
    public DiT dit() {
        if (dit == null) {
            if (manager == null) {
                manager = newManager(device);
            }
            dit = DiTWeights.load(manager, folder.ditDir());
        }
        return dit;
    }

    public DiTConfig ditConfig() {
        return config;
    }

    /** Which engine runs the DiT while sampling. */
    public DiTRuntime ditRuntime() {
        return onnxDit == null ? DiTRuntime.DJL : DiTRuntime.ONNX;
    }

    public TextEncoder textEncoder() {
        return text;
    }

    /**
     * Pixels per side must be a multiple of (VAE factor × patch size), within the sizes the model
     * draws ({@link DiTConfig#drawsSide}); the latent side follows.
     */
    public int latentSide(int size) {
        return latentSide(vae, config, size);
    }

    /**
     * {@link #latentSide(int)} from a model's parts without loading it (a Spark driver checks a
     * plan before any executor opens the model).
     */
    public static int latentSide(ModelManifest.VaeSpec vae, DiTConfig config, int size) {
        int side = vae.latentSide(size, config.patchSize());
        if (!config.drawsSide(side)) {
            throw LdmException.badInput("--size " + size + ": this model draws " + SizeRange.of(vae, config));
        }
        return side;
    }

    /** {@link #latentSide(int)} of the request's size, checking its draft anchor against that side too. */
    public int latentSide(GenerateRequest request) {
        return latentSide(vae, config, request);
    }

    /**
     * {@link #latentSide(ModelManifest.VaeSpec, DiTConfig, int)} for a request, with its draft anchor and, for
     * {@code --draft-colour free}, the model's colour plane.
     */
    public static int latentSide(ModelManifest.VaeSpec vae, DiTConfig config, GenerateRequest request) {
        int side = latentSide(vae, config, request.size());
        Integer anchor = request.draftAnchor();
        if (anchor != null && side % anchor != 0) {
            throw LdmException.badInput("--draft-anchor " + anchor + ": the latent side " + side + " ("
                    + request.size() + " px) is not a multiple of it");
        }
        freeColour(vae, request);
        return side;
    }

    /** The colour plane a request leaves free, or null; refuses {@code --draft-colour free} on a model without one. */
    private static ColourPlane freeColour(ModelManifest.VaeSpec vae, GenerateRequest request) {
        if (request.draftColour() == null) {
            return null;
        }
        if (vae.colourPlane() == null) {
            throw LdmException.badInput("--draft-colour " + request.draftColour() + " needs the model's colour plane"
                    + " (vae.colourPlane in model.json, measured by ldm vae colour-plane)");
        }
        return vae.plane();
    }

    /** The image sides this model draws. */
    public SizeRange sizes() {
        return SizeRange.of(vae, config);
    }

    /**
     * Renders {@code request.n()} images as one batch; image i uses seed + i. With an init image the
     * sampler starts from the image's noised latent (SDEdit, see {@link SdEdit}).
     */
    public List<GeneratedImage> generate(GenerateRequest request, StepListener listener, Timings[] timingsOut) {
        int side = latentSide(request);
        Sampler sampler = Samplers.byName(request.sampler());
        long t0 = System.nanoTime();
        String tag = guidedTag(request);
        TextEmbedding emb = text.encode(prompts(request, tag)); // [B', L, D], [B', L], [B', D]
        long t1 = System.nanoTime();
        long[] ditNanos = {0};
        int[] nfe = {0};
        VelocityField network = network(emb, side);
        ClassifierFreeGuidance.ConditionalVelocity model = (x, t) -> {
            long s = System.nanoTime();
            Tensor v = network.velocity(x, t);
            ditNanos[0] += System.nanoTime() - s;
            nfe[0]++;
            return v;
        };
        var field = new ClassifierFreeGuidance(model, model::velocity, request.cfg(),
                tag == null ? 0 : request.tagGuidance(), request.cfgInterval());
        long[] draftNanos = {0};
        Tensor latents = denoise(request, side, sampler, field, listener, draftNanos); // [n, C, h, w]
        long t2 = System.nanoTime();
        List<GeneratedImage> out = decode(latents, request);
        long t3 = System.nanoTime();
        if (timingsOut != null && timingsOut.length > 0) {
            timingsOut[0] = new Timings(t1 - t0, t2 - t1, ditNanos[0], t3 - t2, nfe[0], draftNanos[0]);
        }
        return out;
    }

    /**
     * The DiT conditioned on the first b rows of the text batch, b being the batch it is called with
     * (the conditional half alone when guidance is off): [b, C, h, w] at t → [b, C, h, w].
     */
    private VelocityField network(TextEmbedding emb, int side) {
        if (onnxDit != null) {
            OnnxDiT graph = onnxDit(side);
            return (x, t) -> {
                int b = (int) x.shape()[0];
                return graph.forward(x, times(b, t), rows(emb.states(), b), rows(emb.mask(), b),
                        rows(emb.pooled(), b));
            };
        }
        return VelocityField.onEngine(manager, (x, t) -> {
            NDManager m = x.getManager();
            int b = (int) x.getShape().get(0);
            return dit.forward(x, Nd.fromTensor(m, times(b, t)), Nd.fromTensor(m, rows(emb.states(), b)),
                    Nd.fromTensor(m, rows(emb.mask(), b)), Nd.fromTensor(m, rows(emb.pooled(), b)));
        });
    }

    /**
     * The ONNX graph for latents of this side: the model's own, or one exported for the side on
     * first use (the same weights: from the folder's file, or the LoRA-merged DJL model) and kept.
     */
    private synchronized OnnxDiT onnxDit(int side) {
        if (side == config.inputSize()) {
            return onnxDit;
        }
        return resized.computeIfAbsent(side, s -> dit != null ? OnnxDiT.open(dit, s, device)
                : OnnxDiT.open(folder.ditDir(), config, s, device));
    }

    /** t for each of b images: [b]. */
    private static Tensor times(int b, float t) {
        float[] ts = new float[b];
        java.util.Arrays.fill(ts, t);
        return new Tensor(new long[] {b}, ts);
    }

    /**
     * The first tag this model guides toward, or null: tag guidance applies to the model that draws the image
     * from pure noise, so in a cascade to the draft (which decides what is drawn where), not to the redraw that
     * keeps the draft's layout and adds the detail. A request with an init image, the same kind of redraw,
     * never carries tag guidance ({@link GenerateRequest} refuses the pair), so a cascade's image is its
     * draft's PNG redrawn as an init image.
     */
    private static String guidedTag(GenerateRequest request) {
        return request.draftStrength() != null ? null : request.guidedTag();
    }

    /**
     * n prompts, then n negative prompts when guidance needs the unconditional half, then n first tags
     * with tag guidance (the rows {@link ClassifierFreeGuidance} stacks).
     */
    private static List<String> prompts(GenerateRequest request, String tag) {
        List<String> prompts = new ArrayList<>(Collections.nCopies(request.n(), request.prompt()));
        if (request.cfg() != 1.0 || tag != null) {
            prompts.addAll(Collections.nCopies(request.n(), request.negative()));
        }
        if (tag != null) {
            prompts.addAll(Collections.nCopies(request.n(), tag));
        }
        return prompts;
    }

    /** The sampler from noise at t = 1, or from the init image's latent noised to t = S. */
    private Tensor denoise(GenerateRequest r, int side, Sampler sampler, ClassifierFreeGuidance field,
            StepListener listener, long[] draftNanos) {
        int channels = config.inChannels();
        Tensor noise = initialNoise(r, channels, side); // [n, C, h, w]
        Rng sde = Rng.stream(r.seed(), "sde");
        InitImage init = r.init();
        if (init == null && r.draftStrength() != null) {
            float s = r.draftStrength().floatValue();
            Integer anchor = r.draftAnchor(); // divides the side (checked by latentSide)
            long t0 = System.nanoTime();
            Draft d = drawDraft(r, channels, side);
            draftNanos[0] = System.nanoTime() - t0;
            if (anchor == null) {
                return sampler.sample(field, SdEdit.start(d.latents(), noise, s),
                        SdEdit.timesteps(r.steps(), r.shift(), s), sde, listener);
            }
            if (!GenerateRequest.AUTO_COLOUR.equals(r.draftColour())) {
                return redraw(r, sampler, field, d.latents(), noise, anchor, freeColour(vae, r), s, sde, listener);
            }
            return redrawByColour(r, sampler, field, d, noise, anchor, sde, listener);
        }
        if (init == null) {
            return sampler.sample(field, noise, Schedule.timesteps(r.steps(), r.shift()), sde, listener);
        }
        Tensor z = initLatents(init, r, channels, side); // [n, C, h, w]
        float s = (float) init.strength();
        if (s == 0f) {
            return z; // nothing to integrate: the VAE round trip
        }
        return sampler.sample(field, SdEdit.start(z, noise, s), SdEdit.timesteps(r.steps(), r.shift(), s), sde,
                listener);
    }

    /**
     * The draft's latents redrawn from time s, the anchor holding their F×F block means (outside the colour
     * plane, when one is given): z, noise [b, C, h, w] → [b, C, h, w].
     */
    private static Tensor redraw(GenerateRequest r, Sampler sampler, ClassifierFreeGuidance field, Tensor z,
            Tensor noise, int anchor, ColourPlane free, float s, Rng sde, StepListener listener) {
        return sampler.sample(new LowFrequencyAnchor(field, z, anchor, free), SdEdit.start(z, noise, s),
                SdEdit.timesteps(r.steps(), r.shift(), s), sde, listener);
    }

    /**
     * {@code --draft-colour auto}: the images whose draft misses a hue the prompt names are redrawn as one
     * batch with the colour plane free, from {@link ColourChoice#freedStrength}; the others as one batch
     * with every channel kept, as {@code kept} would. With none freed this is {@code kept}, bit for bit.
     */
    private Tensor redrawByColour(GenerateRequest r, Sampler sampler, ClassifierFreeGuidance field, Draft d,
            Tensor noise, int anchor, Rng sde, StepListener listener) {
        float s = r.draftStrength().floatValue();
        int[] shown = {0}; // a progress bar sees one count that only rises: the freed group adds its extra steps
        StepListener onward = (done, total) -> {
            if (done > shown[0]) {
                shown[0] = done;
                listener.onStep(done, total);
            }
        };
        return ColourChoice.byGroup(ColourChoice.freed(r.prompt(), d.colours()), d.latents(), (rows, free) ->
                redraw(r, sampler, field, d.latents().rows(rows), noise.rows(rows), anchor, free ? vae.plane() : null,
                        free ? ColourChoice.freedStrength(s) : s, sde, onward));
    }

    /**
     * A cascade's draft for a batch.
     *
     * @param latents the draft images upscaled and encoded by this model's VAE [n, C, h, w]
     * @param colours each draft image's dominant colour ({@link dev.ldm.image.DominantColour}), in order
     */
    private record Draft(Tensor latents, List<java.util.Optional<String>> colours) {}

    /**
     * The draft model's images for this request (its own size and shift; seed, steps, guidance, tag guidance
     * and sampler as asked), upscaled as an init image is and encoded, with their colours; image i from seed + i.
     */
    private Draft drawDraft(GenerateRequest r, int channels, int side) {
        if (draft == null) {
            throw ModelManifest.Defaults.noDraftModel(r.draftStrength());
        }
        ModelManifest.Defaults d = draft.folder.manifest().defaults();
        GenerateRequest dr = new GenerateRequest(r.prompt(), r.negative(), r.steps(), r.cfg(), r.seed(), r.n(),
                d.size(), r.sampler(), d.shift(), r.cfgInterval(), null, null, null, null, r.tagGuidance());
        List<GeneratedImage> drafts = draft.generate(dr, StepListener.NONE, null);
        int per = channels * side * side;
        float[] all = new float[r.n() * per];
        List<java.util.Optional<String>> colours = new ArrayList<>();
        for (int i = 0; i < r.n(); i++) { // as an init image is: 8-bit pixels resized, encoded alone
            Tensor z = latent(Images.toTensor(drafts.get(i).image(), r.size()), channels, side);
            System.arraycopy(z.data(), 0, all, i * per, per);
            colours.add(GenerateRequest.AUTO_COLOUR.equals(r.draftColour())
                    ? DominantColour.of(drafts.get(i).image()) : java.util.Optional.empty());
        }
        return new Draft(new Tensor(new long[] {r.n(), channels, side, side}, all), colours);
    }

    /** The draft model of this cascade, or null. */
    public Generator draft() {
        return draft;
    }

    /** The init image's normalised latent, repeated for each of the n images: [n, C, h, w]. */
    private Tensor initLatents(InitImage init, GenerateRequest r, int channels, int side) {
        float[] z = latent(init.pixels(r.size()), channels, side).data();
        float[] all = new float[r.n() * z.length];
        for (int i = 0; i < r.n(); i++) {
            System.arraycopy(z, 0, all, i * z.length, z.length);
        }
        return new Tensor(new long[] {r.n(), channels, side, side}, all);
    }

    /** One image [3, S, S] in [-1, 1] → its normalised latent [1, C, h, w], encoded alone (the same bits in any batch). */
    private Tensor latent(Tensor px, int channels, int side) {
        long size = px.shape()[1];
        Tensor raw = encoder().encode(new Tensor(new long[] {1, 3, size, size}, px.data())); // [1, C, h, w]
        long[] want = {1, channels, side, side};
        if (!java.util.Arrays.equals(raw.shape(), want)) {
            throw LdmException.badInput("the VAE encoder gives latents " + raw.shapeString() + " for a "
                    + size + " px image, but the DiT takes " + java.util.Arrays.toString(want));
        }
        return norm.normalize(raw);
    }

    /** Latents [n, C, h, w] → one image per row, each with its own request and its place in the batch. */
    private List<GeneratedImage> decode(Tensor latents, GenerateRequest request) {
        Tensor pixels = decoder.decode(norm.denormalize(latents)); // [n, 3, H, W]
        List<GeneratedImage> out = new ArrayList<>();
        int size = request.size();
        int per = 3 * size * size;
        for (int i = 0; i < request.n(); i++) {
            float[] chw = java.util.Arrays.copyOfRange(pixels.data(), i * per, (i + 1) * per);
            out.add(new GeneratedImage(Images.toImage(new Tensor(new long[] {3, size, size}, chw)),
                    request.image(i), new BatchOrigin(request.seed(), request.n(), i)));
        }
        return out;
    }

    /** The VAE encoder, opened on first use (only img2img needs it). */
    private VaeEncoder encoder() {
        if (encoder == null) {
            if (folder == null) {
                throw LdmException.badInput("img2img needs a VAE encoder, and this generator was built without one");
            }
            String file = folder.manifest().vae().encoder();
            if (file == null || file.isBlank()) {
                throw LdmException.badInput(folder.dir().resolve(ModelFolder.MANIFEST)
                        + ": the model names no VAE encoder (vae.encoder), which img2img needs");
            }
            encoder = VaeEncoder.open(folder.resolve(file), device);
        }
        return encoder;
    }

    /** The first b rows (the conditional half when guidance is off). */
    private static Tensor rows(Tensor a, int b) {
        return a.shape()[0] == b ? a : a.slice(0, b);
    }

    /** Per-image noise from each image's own seed, so image i is the same in any batch. */
    static Tensor initialNoise(GenerateRequest r, int channels, int side) {
        int per = channels * side * side;
        float[] all = new float[r.n() * per];
        for (int i = 0; i < r.n(); i++) {
            System.arraycopy(Rng.stream(r.seed() + i, "noise").gaussian(per), 0, all, i * per, per);
        }
        return new Tensor(new long[] {r.n(), channels, side, side}, all);
    }


    @Override
    public void close() {
        if (!owner) {
            return;
        }
        closeQuietly(draft);
        if (ownsText) {
            closeQuietly(text);
        }
        closeQuietly(decoder);
        closeQuietly(encoder);
        closeQuietly(onnxDit);
        synchronized (this) {
            resized.values().forEach(d -> closeQuietly(d));
        }
        if (manager != null) {
            manager.close();
        }
    }
}
