package dev.ldm.data;

import dev.ldm.io.Tensor;
import java.util.List;

/**
 * Decoded training images, ready for the VAE encoder.
 *
 * @param samples the samples that loaded, in input order
 * @param images one [3, S, S] tensor in [-1, 1] per loaded sample
 * @param skipped how many samples could not be read (each was reported as a warning)
 */
public record LoadedImages(List<Sample> samples, List<Tensor> images, int skipped) {
    public LoadedImages {
        samples = List.copyOf(samples);
        images = List.copyOf(images);
        if (samples.size() != images.size()) {
            throw new IllegalArgumentException(samples.size() + " samples but " + images.size() + " images");
        }
    }

    /** Main captions of the loaded samples, aligned with {@link #images()}. */
    public List<String> captions() {
        return samples.stream().map(Sample::caption).toList();
    }

    /** All captions of each loaded sample (main caption first), aligned with {@link #images()}. */
    public List<List<String>> alternatives() {
        return samples.stream().map(Sample::captions).toList();
    }

    /**
     * The images stacked for a batched encoder call.
     *
     * @return [N, 3, S, S]
     */
    public Tensor stacked() {
        if (images.isEmpty()) {
            throw new IllegalStateException("no images loaded");
        }
        return Tensor.stack(images);
    }
}
