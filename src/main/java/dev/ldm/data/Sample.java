package dev.ldm.data;

import java.nio.file.Path;

/**
 * One training example before decoding: an image file and its caption.
 *
 * @param image the image file
 * @param caption the caption as written (normalised later by the text encoder)
 */
public record Sample(Path image, String caption) {}
