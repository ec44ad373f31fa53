package dev.ldm.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One training example before decoding: an image file and its captions.
 *
 * @param image the image file
 * @param captions one or more alternative captions as written (normalised later by the text
 *     encoder); the first is the image's main caption, and training draws one of them per step
 */
public record Sample(Path image, List<String> captions) {
    public Sample {
        captions = List.copyOf(captions);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("a sample needs at least one caption: " + image);
        }
    }

    /** A sample with one caption. */
    public Sample(Path image, String caption) {
        this(image, List.of(caption));
    }

    /** The main (first) caption. */
    public String caption() {
        return captions.get(0);
    }
}
