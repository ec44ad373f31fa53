package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The denoiser: a diffusion transformer (DiT, Peebles and Xie 2023) conditioned on text, that
 * predicts the rectified-flow velocity v = ε − x₀ of a noisy latent x_t.
 *
 * <p>Conditioning: the time t and the pooled prompt embedding are embedded and summed into one
 * vector c that drives every adaLN-Zero modulation; the prompt's token states, projected once to
 * the model width, are the keys and values of each block's cross-attention, with padding masked.
 * The model is a plain function of its inputs; the flow, samplers and guidance live elsewhere.
 *
 * <p>Legend: B batch, C latent channels, H = W latent side, T image tokens, D hidden width,
 * L text tokens, E text-encoder width.
 */
public final class DiT extends Module {
    /** Name of the parameter-initialisation random stream. */
    public static final String INIT_STREAM = "dit.init";
    /** Standard deviation of the timestep-MLP weights at initialisation (as in DiT). */
    public static final double TIME_MLP_STD = 0.02;

    private final DiTConfig config;
    private final NDArray pos;
    private final PatchEmbed xEmbedder;
    private final TimestepEmbedder tEmbedder;
    private final PooledTextEmbedder pooledEmbedder;
    private final Linear contextProj;
    private final List<DiTBlock> blocks = new ArrayList<>();
    private final FinalLayer finalLayer;

    /** A freshly initialised model whose parameters live in {@code manager}, seeded by {@code seed}. */
    public DiT(NDManager manager, DiTConfig config, long seed) {
        this(manager, config, Rng.stream(seed, INIT_STREAM));
    }

    /**
     * The one way to build a DiT from stored weights: every parameter must be present with its
     * shape ({@code source} names them in errors). The constructor's seeded initialisation is
     * overwritten; it costs one pass of the generator over the parameters.
     */
    public static DiT fromWeights(NDManager manager, DiTConfig config, Map<String, Tensor> weights, String source) {
        DiT dit = new DiT(manager, config, 0L);
        dit.loadStateDict(weights, source);
        return dit;
    }

    public DiT(NDManager manager, DiTConfig config, Rng rng) {
        this.config = config;
        int d = config.hidden();
        this.pos = manager.create(SinCos.positions2d(d, config.grid()), new Shape(1, config.tokens(), d));
        this.xEmbedder = child("x_embedder", new PatchEmbed(manager, rng, config.patchSize(), config.inChannels(), d));
        this.tEmbedder = child("t_embedder", new TimestepEmbedder(manager, rng, d));
        this.pooledEmbedder = child("pooled_embedder", new PooledTextEmbedder(manager, rng, config.textDim(), d));
        this.contextProj = child("context_proj", new Linear(manager, rng, config.textDim(), d));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(child("blocks." + i, new DiTBlock(manager, rng, config)));
        }
        this.finalLayer = child("final_layer", new FinalLayer(manager, rng, d, config.patchDim()));
        initializeWeights(rng);
    }

    public DiTConfig config() {
        return config;
    }

    /**
     * The velocity at (x, t) given the prompt. The latent may have another side than the config's
     * (a multiple of the patch side): the model then draws on a larger or smaller grid, its position
     * embedding interpolated from the trained grid ({@link SinCos#positions2d(int, int, int)}).
     *
     * @param x      noisy latent [B, C, H, W], H = W
     * @param t      time in [0, 1] (0 data, 1 noise) [B]
     * @param text   text-encoder token states [B, L, E]
     * @param mask   [B, L]: 1 for a token, 0 for padding (padding never affects the output)
     * @param pooled pooled prompt embedding [B, E]
     * @return velocity [B, C, H, W]
     */
    public NDArray forward(NDArray x, NDArray t, NDArray text, NDArray mask, NDArray pooled) {
        return run(x, t, text, mask, pooled, 0).velocity();
    }

    /**
     * The velocity and, from the same pass, the hidden tokens after block {@code depth}.
     *
     * @param hidden [B, T, D]: the output of block {@code depth} (1-based)
     * @param velocity [B, C, H, W], exactly what {@link #forward} returns
     */
    public record Hidden(NDArray velocity, NDArray hidden) {}

    /** {@link #forward} that also returns the tokens after block {@code depth} (1 ≤ depth ≤ config depth). */
    public Hidden forwardWithHidden(NDArray x, NDArray t, NDArray text, NDArray mask, NDArray pooled, int depth) {
        if (depth < 1 || depth > blocks.size()) {
            throw new IllegalArgumentException("DiT.forwardWithHidden: depth must be in 1.." + blocks.size()
                    + ", not " + depth);
        }
        return run(x, t, text, mask, pooled, depth);
    }

    /** The forward pass; keeps the output of block {@code depth} when it is positive (else hidden is null). */
    private Hidden run(NDArray x, NDArray t, NDArray text, NDArray mask, NDArray pooled, int depth) {
        checkInputs(x, t, text, mask, pooled);
        long b = x.getShape().get(0), l = text.getShape().get(1);
        int g = Math.toIntExact(x.getShape().get(2) / config.patchSize());
        NDArray h = xEmbedder.forward(x).add(positions(x.getManager(), g));  // [B, T, D]
        NDArray c = tEmbedder.forward(t).add(pooledEmbedder.forward(pooled)); // [B, D]
        NDArray siluC = Nd.silu(c);                                         // [B, D]
        NDArray context = contextProj.forward(text);                        // [B, L, D]
        NDArray bias = keyBias(mask).reshape(b, 1, 1, l);                   // [B, 1, 1, L]
        NDArray hidden = null;
        for (int i = 0; i < blocks.size(); i++) {
            h = blocks.get(i).forward(h, siluC, context, bias);             // [B, T, D]
            if (i + 1 == depth) {
                hidden = h;
            }
        }
        h = finalLayer.forward(h, siluC);                                   // [B, T, p·p·C]
        return new Hidden(Patchify.unpatchify(h, config.patchSize(), config.inChannels(), g, g), hidden); // [B, C, H, W]
    }

    /** The position embedding of a g×g grid: [1, T, D] (the trained grid's own table, or one interpolated from it). */
    private NDArray positions(NDManager manager, int g) {
        if (g == config.grid()) {
            return pos;
        }
        int d = config.hidden();
        return manager.create(SinCos.positions2d(d, g, config.grid()), new Shape(1, (long) g * g, d));
    }

    /**
     * {@link #forward} as ONNX nodes, block by block; the weights come from {@code g} by their
     * safetensors names. (The pooled-text MLP is written before the timestep's, as it always was,
     * so that the graph and its bytes stay the same.)
     */
    static String export(DiTGraph g, String x, String t, String text, String mask, String pooled) {
        DiTConfig c = g.config();
        OnnxGraph graph = g.graph();
        g.bindInputs(x, text);
        String h = PatchEmbed.export(g, "x_embedder", x);                            // [B, T, D]
        String pos = graph.initializer("pos_embed", new Tensor(new long[] {1, c.tokens(), c.hidden()},
                SinCos.positions2d(c.hidden(), c.grid(), g.positionGrid())));
        h = graph.node("Add", List.of(h, pos));                                      // [B, T, D]
        String pooledC = PooledTextEmbedder.export(g, "pooled_embedder", pooled, c.textDim()); // [B, D]
        String cond = graph.node("Add", List.of(TimestepEmbedder.export(g, "t_embedder", t), pooledC)); // [B, D]
        String siluC = OnnxOps.silu(graph, cond);                                    // [B, D]
        String context = g.linear("context_proj", text, g.textTokens(), c.textDim(), c.hidden()); // [B, L, D]
        String bias = g.reshape(graph.node("Mul", List.of(graph.node("Sub", List.of(mask, g.scalar("one", 1f))),
                g.scalar("mask_scale", -Attention.MASKED))), 0, 1, 1, -1);           // [B, 1, 1, L]
        for (int i = 0; i < c.depth(); i++) {
            h = DiTBlock.export(g, "blocks." + i, h, siluC, context, bias);          // [B, T, D]
        }
        h = FinalLayer.export(g, "final_layer", h, siluC);                           // [B, T, p·p·C]
        return Patchify.exportUnpatchify(g, h);                                      // [B, C, H, W]
    }

    /** mask [B, L] of 1/0 → additive attention bias [B, L] of 0/{@link Attention#MASKED}. */
    private static NDArray keyBias(NDArray mask) {
        NDArray m = mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
        return m.sub(1f).mul(-Attention.MASKED);                            // [B, L]
    }

    /**
     * DiT's {@code initialize_weights}, the one place that sets initial values: every Linear starts
     * Xavier-uniform with zero bias (done as it is built); then the timestep MLP is redrawn from
     * N(0, 0.02²), and adaLN-Zero zeroes every modulation, the final linear and (as PixArt-α) each
     * cross-attention output, so that every block starts as the identity and the output is exactly 0.
     */
    private void initializeWeights(Rng rng) {
        for (Linear layer : tEmbedder.layers()) {
            fill(layer.weight(), scaled(rng.gaussian(Math.toIntExact(layer.weight().size())), TIME_MLP_STD));
        }
        for (DiTBlock block : blocks) {
            zero(block.modulation().linear());
            zero(block.crossAttention().output());
        }
        zero(finalLayer.modulation().linear());
        zero(finalLayer.linear());
    }

    private static void zero(Linear layer) {
        fill(layer.weight(), new float[Math.toIntExact(layer.weight().size())]);
        fill(layer.bias(), new float[Math.toIntExact(layer.bias().size())]);
    }

    private static void fill(NDArray param, float[] values) {
        dev.ldm.nn.Nd.assign(param, values);
    }

    private static float[] scaled(float[] v, double std) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) std;
        }
        return v;
    }

    private void checkInputs(NDArray x, NDArray t, NDArray text, NDArray mask, NDArray pooled) {
        long[] xs = x.getShape().getShape();
        int p = config.patchSize();
        require(xs.length == 4 && xs[1] == config.inChannels() && xs[2] == xs[3] && xs[2] > 0 && xs[2] % p == 0,
                "x must be [B, " + config.inChannels() + ", S, S] with S a positive multiple of " + p + " (the model's "
                        + config.inputSize() + "), got " + x.getShape());
        long b = xs[0];
        require(t.getShape().equals(new Shape(b)), "t must be [" + b + "], got " + t.getShape());
        long[] ts = text.getShape().getShape();
        require(ts.length == 3 && ts[0] == b && ts[2] == config.textDim(),
                "text must be [" + b + ", L, " + config.textDim() + "], got " + text.getShape());
        require(mask.getShape().equals(new Shape(b, ts[1])),
                "mask must be [" + b + ", " + ts[1] + "], got " + mask.getShape());
        require(pooled.getShape().equals(new Shape(b, config.textDim())),
                "pooled must be [" + b + ", " + config.textDim() + "], got " + pooled.getShape());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("DiT.forward: " + message);
        }
    }

    @Override
    public String toString() {
        return "DiT(" + config + ", " + parameterCount() + " parameters)";
    }
}
