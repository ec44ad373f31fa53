package dev.ldm.batch;

import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.request.OutputWriter;

/**
 * One sampling batch of {@code ldm batch}: consecutive images of one prompt line, rendered together.
 *
 * @param where {@code file:line} of the prompt, for messages
 * @param source {@code name:line} of the prompt, for the manifest
 * @param request the batch (n images from its seed)
 * @param firstIndex the file-wide index of its first image
 */
public record BatchJob(String where, String source, GenerateRequest request, int firstIndex) {
    /** The output file name of image j: {@code NNNNN-slug-seed.png} with the file-wide index. */
    public String fileName(int j) {
        return OutputWriter.fileName(firstIndex + j, request.prompt(), request.seed() + j);
    }

    /** The manifest entry image j will have (its PNG hash left out). */
    public ManifestEntry entry(int j, String model, String modelHash) {
        return new ManifestEntry(fileName(j), firstIndex + j, source, request.image(j),
                new BatchOrigin(request.seed(), request.n(), j), model, modelHash, null);
    }
}
