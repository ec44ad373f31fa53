package dev.ldm.vae;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Architecture of ldm's KL autoencoder: every constructor argument of {@link Autoencoder}, saved
 * as {@code config.json} beside the weights and compared on load and on resume.
 *
 * @param imageChannels channels of the images (3, RGB)
 * @param latentChannels channels of the latent (4, as in Stable Diffusion 1.x)
 * @param baseChannels width of the first resolution level
 * @param channelMultipliers width of each resolution level as a multiple of {@code baseChannels};
 *     one entry per level, and every level after the first halves the resolution
 * @param resBlocksPerLevel residual blocks at each level (encoder and decoder alike)
 */
public record VaeConfig(int imageChannels, int latentChannels, int baseChannels, int[] channelMultipliers,
        int resBlocksPerLevel) {
    public static final String FILE = "config.json";
    private static final int MAX_WIDTH = 4096;

    public VaeConfig {
        require(imageChannels > 0 && imageChannels <= 16, "imageChannels must be in 1..16, not " + imageChannels);
        require(latentChannels > 0 && latentChannels <= 64, "latentChannels must be in 1..64, not " + latentChannels);
        require(baseChannels > 0 && baseChannels <= MAX_WIDTH, "baseChannels must be in 1.." + MAX_WIDTH);
        require(channelMultipliers != null && channelMultipliers.length >= 1 && channelMultipliers.length <= 6,
                "channelMultipliers needs 1 to 6 entries (one per resolution level)");
        for (int m : channelMultipliers) {
            require(m > 0 && (long) m * baseChannels <= MAX_WIDTH,
                    "channelMultipliers entries must be positive and give at most " + MAX_WIDTH + " channels");
        }
        require(resBlocksPerLevel >= 1 && resBlocksPerLevel <= 8, "resBlocksPerLevel must be in 1..8");
        channelMultipliers = channelMultipliers.clone();
    }

    /**
     * Named presets: {@code tiny} (tests), {@code f4} (32×32 images on a CPU), {@code f8}, and
     * {@code f8s} (128×128 images on a CPU: narrow at full resolution, where a CPU spends its time;
     * 8 latent channels).
     */
    public static VaeConfig preset(String name) {
        return switch (name) {
            case "tiny" -> new VaeConfig(3, 4, 8, new int[] {1, 2}, 1);
            case "f4" -> new VaeConfig(3, 4, 32, new int[] {1, 2, 2}, 1);
            case "f8" -> new VaeConfig(3, 4, 32, new int[] {1, 2, 2, 4}, 1);
            case "f8s" -> new VaeConfig(3, 8, 16, new int[] {1, 2, 4, 8}, 1);
            default -> throw LdmException.badInput("unknown VAE preset '" + name + "' (choose one of "
                    + String.join(", ", presetNames()) + ")");
        };
    }

    public static List<String> presetNames() {
        return List.of("tiny", "f4", "f8", "f8s");
    }

    public int levels() {
        return channelMultipliers.length;
    }

    /** Pixels per latent position along each side: 2^(levels - 1). */
    public int downsampleFactor() {
        return 1 << (levels() - 1);
    }

    /** Channels at resolution level {@code level}. */
    public int channels(int level) {
        return baseChannels * channelMultipliers[level];
    }

    @Override
    public int[] channelMultipliers() {
        return channelMultipliers.clone();
    }

    /** Writes {@code dir/config.json}. */
    public void save(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }

    /**
     * Reads {@code dir/config.json}: a bare config as {@link #save} writes it, or the
     * {@code architecture} object of a trained VAE's {@link VaeInfo}.
     */
    public static VaeConfig load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw LdmException.badInput(dir + ": no VAE " + FILE + " in this folder");
        }
        String text = Json.readText(file);
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            if (o.has("architecture")) {
                o = o.getAsJsonObject("architecture");
            }
            for (String key : List.of("imageChannels", "latentChannels", "baseChannels", "channelMultipliers",
                    "resBlocksPerLevel")) {
                require(o.has(key), "missing key '" + key + "'");
            }
            return Json.gson().fromJson(o, VaeConfig.class);
        } catch (LdmException e) {
            throw LdmException.badInput(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof LdmException le) {
                throw LdmException.badInput(file + ": " + le.getMessage(), e);
            }
            throw LdmException.badInput(file + ": not a valid VAE config (" + e.getMessage() + ")", e);
        }
    }

    /** Refuses a config that differs from this one, naming both. */
    public void requireSame(VaeConfig other, String where) {
        if (!equals(other)) {
            throw LdmException.badInput(where + ": VAE config " + other + " does not match " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && imageChannels == c.imageChannels && latentChannels == c.latentChannels
                && baseChannels == c.baseChannels && Arrays.equals(channelMultipliers, c.channelMultipliers)
                && resBlocksPerLevel == c.resBlocksPerLevel;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {imageChannels, latentChannels, baseChannels, resBlocksPerLevel})
                * 31 + Arrays.hashCode(channelMultipliers);
    }

    @Override
    public String toString() {
        return "{imageChannels=" + imageChannels + ", latentChannels=" + latentChannels + ", baseChannels="
                + baseChannels + ", channelMultipliers=" + Arrays.toString(channelMultipliers)
                + ", resBlocksPerLevel=" + resBlocksPerLevel + "}";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput("VAE config: " + message);
        }
    }
}
