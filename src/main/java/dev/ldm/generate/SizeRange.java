package dev.ldm.generate;

import dev.ldm.folder.ModelManifest;
import dev.ldm.model.DiTConfig;

/**
 * The image sides in pixels a model draws: from {@code min} to {@code max} in steps of
 * {@code step} (VAE factor × patch side); {@code min} is the side it was trained at. Larger sides
 * run the DiT on a finer patch grid with interpolated position embeddings ({@link DiTConfig#drawsSide}).
 */
public record SizeRange(int min, int max, int step, int trained) {
    /** The range of a model's DiT on its VAE. */
    public static SizeRange of(ModelManifest.VaeSpec vae, DiTConfig config) {
        int f = vae.downsampleFactor();
        return new SizeRange(config.minSide() * f, config.maxSide() * f, config.patchSize() * f,
                config.inputSize() * f);
    }

    public boolean contains(int side) {
        return side >= min && side <= max && side % step == 0;
    }

    /** "128 to 160 pixels in steps of 16 (trained at 128)", or "8-pixel images only". */
    @Override
    public String toString() {
        return min == max ? min + "-pixel images only"
                : min + " to " + max + " pixels in steps of " + step + " (trained at " + trained + ")";
    }
}
