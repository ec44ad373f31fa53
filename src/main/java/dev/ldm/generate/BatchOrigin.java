package dev.ldm.generate;

import dev.ldm.LdmException;

/**
 * Which batch rendered an image: image {@code index} of {@code n} images sampled together from
 * seeds {@code seed}, {@code seed + 1}, .... Kept with every image because batched kernels and the
 * SDE sampler's shared noise stream may make image i of a batch differ in the last bits from the
 * same seed rendered alone; re-rendering the same batch reproduces it exactly.
 *
 * @param seed seed of the batch's first image
 * @param n images in the batch
 * @param index this image's position, 0 ≤ index &lt; n
 */
public record BatchOrigin(long seed, int n, int index) {
    public BatchOrigin {
        if (n < 1 || n > GenerateRequest.MAX_N || index < 0 || index >= n) {
            throw LdmException.badInput("batch: image " + index + " of " + n + " is not a valid position");
        }
    }

    /** An image rendered on its own. */
    public static BatchOrigin single(long seed) {
        return new BatchOrigin(seed, 1, 0);
    }

    /** The seed of this image: seed + index. */
    public long imageSeed() {
        return seed + index;
    }

    /** The request that renders the whole batch, from the request of this one image. */
    public GenerateRequest batchRequest(GenerateRequest image) {
        return image.withSeed(seed).withN(n);
    }
}
