package dev.ldm.model;

import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every constructor argument of a {@link DiT}. Saved as {@code config.json} beside the weights, so
 * a weights file is always read back into the architecture that made it; a resumed run compares its
 * config with the saved one and refuses a mismatch.
 *
 * @param inputSize  side of the (square) latent, in latent pixels
 * @param inChannels latent channels (input and output)
 * @param patchSize  side of one patch; {@code inputSize / patchSize} patches per side
 * @param hidden     transformer width
 * @param depth      number of {@link DiTBlock}s
 * @param heads      attention heads ({@code hidden / heads} channels each)
 * @param mlpRatio   MLP width as a multiple of {@code hidden}
 * @param textDim    hidden size of the text encoder (384 for all-MiniLM-L6-v2)
 * @param textLength tokens per prompt that the text encoder pads to
 */
public record DiTConfig(int inputSize, int inChannels, int patchSize, int hidden, int depth, int heads,
        double mlpRatio, int textDim, int textLength) {
    /** File name of the config inside a model folder. */
    public static final String FILE = "config.json";
    /**
     * Largest patch grid a model draws, as a multiple of its trained grid: 10 patches per side where
     * 8 were trained. Measured (docs/RESEARCH.md, "Other image sizes"): at 12, FID rose by half; below the
     * trained grid, 7 of 8 cost 2 to 7 points of top-1, so a model draws no smaller grid than its own.
     */
    public static final double MAX_GRID_SCALE = 1.25;
    /** Patch side used by a preset name without a {@code /p} suffix. */
    public static final int DEFAULT_PATCH = 2;
    /** Most values of the position embedding (tokens × hidden): far beyond any model ldm trains. */
    static final long MAX_POSITION_VALUES = 1L << 28;

    public DiTConfig {
        positive("inputSize", inputSize);
        positive("inChannels", inChannels);
        positive("patchSize", patchSize);
        positive("hidden", hidden);
        positive("depth", depth);
        positive("heads", heads);
        positive("textDim", textDim);
        positive("textLength", textLength);
        if (inputSize % patchSize != 0) {
            throw bad("inputSize " + inputSize + " is not a multiple of patchSize " + patchSize);
        }
        if (hidden % heads != 0) {
            throw bad("hidden " + hidden + " is not a multiple of heads " + heads);
        }
        if (hidden % 4 != 0) {
            throw bad("hidden " + hidden + " must be a multiple of 4 (2D sine-cosine position embedding)");
        }
        if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio) || (int) (hidden * mlpRatio) < 1) {
            throw bad("mlpRatio must be a positive number (got " + mlpRatio + ")");
        }
        long grid = inputSize / patchSize;
        if (grid * grid * hidden > MAX_POSITION_VALUES) {
            throw bad(grid * grid + " image tokens of width " + hidden + " are more than ldm can hold");
        }
    }

    /**
     * A named size: {@code tiny} (tests), {@code XS}, {@code S}, {@code B}, optionally followed by
     * {@code /p} for the patch side ({@code S/1}); without it the patch is {@link #DEFAULT_PATCH}, or
     * 1 when the input side is odd.
     */
    public static DiTConfig preset(String name, int inputSize, int inChannels, int textDim, int textLength) {
        String[] parts = name.split("/", -1);
        int patch = inputSize % DEFAULT_PATCH == 0 ? DEFAULT_PATCH : 1;
        if (parts.length == 2) {
            try {
                patch = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw bad("preset '" + name + "': patch size after '/' must be a number");
            }
        } else if (parts.length != 1) {
            throw bad("preset '" + name + "': expected NAME or NAME/PATCH");
        }
        int[] size = switch (parts[0].toUpperCase(Locale.ROOT)) {
            case "TINY" -> new int[] {32, 2, 2};
            case "XS" -> new int[] {128, 4, 4};
            case "S" -> new int[] {256, 6, 4};
            case "B" -> new int[] {768, 12, 12};
            default -> throw bad("unknown preset '" + parts[0] + "' (known: tiny, XS, S, B)");
        };
        return new DiTConfig(inputSize, inChannels, patch, size[0], size[1], size[2], 4.0, textDim, textLength);
    }

    /** The same config with another patch side. */
    public DiTConfig withPatchSize(int patch) {
        return new DiTConfig(inputSize, inChannels, patch, hidden, depth, heads, mlpRatio, textDim, textLength);
    }

    /** The same config with another number of blocks. */
    public DiTConfig withDepth(int blocks) {
        return new DiTConfig(inputSize, inChannels, patchSize, hidden, blocks, heads, mlpRatio, textDim, textLength);
    }

    /**
     * The same weights on another latent side: sampling at another image size. The position
     * embedding is then interpolated from the trained grid ({@link SinCos#positions2d(int, int, int)}).
     */
    public DiTConfig withInputSize(int side) {
        return new DiTConfig(side, inChannels, patchSize, hidden, depth, heads, mlpRatio, textDim, textLength);
    }

    /**
     * Whether this model draws latents of side {@code side}: a multiple of the patch side from its
     * own side to {@link #maxSide()}. Larger sides than the trained one run on a finer patch grid
     * with interpolated position embeddings ({@link SinCos#positions2d(int, int, int)}).
     */
    public boolean drawsSide(int side) {
        return side % patchSize == 0 && side >= minSide() && side <= maxSide();
    }

    /** Smallest latent side {@link #drawsSide}: the trained one. */
    public int minSide() {
        return inputSize;
    }

    /** Largest latent side {@link #drawsSide}: {@link #MAX_GRID_SCALE} of the trained grid, rounded down. */
    public int maxSide() {
        return (int) Math.floor(grid() * MAX_GRID_SCALE + 1e-9) * patchSize;
    }

    /** Patches per side. */
    public int grid() {
        return inputSize / patchSize;
    }

    /** Image tokens per sample. */
    public int tokens() {
        return grid() * grid();
    }

    /** Values per patch: {@code patchSize² · inChannels}. */
    public int patchDim() {
        return patchSize * patchSize * inChannels;
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Width of the MLP's hidden layer (truncated like DiT's {@code int(hidden * mlp_ratio)}). */
    public int mlpHidden() {
        return (int) (hidden * mlpRatio);
    }

    /** Writes {@code dir/config.json} atomically. */
    public void save(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }

    /** Reads and validates {@code dir/config.json}; a missing, malformed or invalid file is bad input. */
    public static DiTConfig load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(file + ": file not found");
        }
        try {
            return Json.read(file, DiTConfig.class);
        } catch (LdmException e) {
            throw e;
        } catch (RuntimeException e) {
            // Gson wraps what the validating constructor throws; report the validation message.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof LdmException bad) {
                    throw LdmException.badInput(file + ": " + bad.getMessage(), e);
                }
            }
            throw LdmException.badInput(file + ": not a DiT config (" + e.getMessage() + ")", e);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw bad(name + " must be positive (got " + value + ")");
        }
    }

    private static LdmException bad(String message) {
        return LdmException.badInput("DiT config: " + message);
    }
}
