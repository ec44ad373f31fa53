package dev.ldm.generate;

import java.awt.image.BufferedImage;

/**
 * One generated image with the request that made it (its own seed, n = 1) and the batch it was
 * sampled in.
 *
 * @param image the pixels
 * @param request settings that re-render exactly this image (with {@code origin})
 * @param origin the batch it was sampled in
 */
public record GeneratedImage(BufferedImage image, GenerateRequest request, BatchOrigin origin) {
    /** An image rendered on its own. */
    public GeneratedImage(BufferedImage image, GenerateRequest request) {
        this(image, request, BatchOrigin.single(request.seed()));
    }
}
