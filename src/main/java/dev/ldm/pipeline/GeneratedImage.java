package dev.ldm.pipeline;

import java.awt.image.BufferedImage;

/**
 * One generated image with the request that made it (its own seed, n = 1).
 *
 * @param image the pixels
 * @param request settings that re-render exactly this image
 */
public record GeneratedImage(BufferedImage image, GenerateRequest request) {}
