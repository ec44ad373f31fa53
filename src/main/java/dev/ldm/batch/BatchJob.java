package dev.ldm.batch;

import dev.ldm.flow.StepListener;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.request.OutputWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One sampling batch of {@code ldm batch}: consecutive images of one prompt line, rendered together.
 * Serializable, so that a Spark job ships its plan to the executors.
 *
 * @param where {@code file:line} of the prompt, for messages
 * @param source {@code name:line} of the prompt, for the manifest
 * @param request the batch (n images from its seed)
 * @param firstIndex the file-wide index of its first image
 */
public record BatchJob(String where, String source, GenerateRequest request, int firstIndex)
        implements java.io.Serializable {
    /** The output file name of image j: {@code NNNNN-slug-seed.png} with the file-wide index. */
    public String fileName(int j) {
        return OutputWriter.fileName(firstIndex + j, request.prompt(), request.seed() + j);
    }

    /** The manifest entry image j will have (its PNG hash left out). */
    public ManifestEntry entry(int j, String model, String modelHash) {
        return new ManifestEntry(fileName(j), firstIndex + j, source, request.image(j),
                new BatchOrigin(request.seed(), request.n(), j), model, modelHash, null);
    }

    /**
     * Samples the whole batch and returns the PNG bytes of each image with its settings, as every
     * batch runner writes them: the same batch, model and runtime give the same bytes.
     */
    public List<byte[]> render(Generator generator, String model, String modelHash, StepListener steps) {
        List<GeneratedImage> images = generator.generate(request, steps, null);
        List<byte[]> pngs = new ArrayList<>(images.size());
        for (int i = 0; i < request.n(); i++) {
            ManifestEntry entry = entry(i, model, modelHash);
            GeneratedImage img = images.get(i);
            if (!img.request().equals(entry.request()) || !img.origin().equals(entry.batch())) {
                throw new IllegalStateException("generator returned " + img.request() + " for " + entry.request());
            }
            pngs.add(OutputWriter.encode(img, model, modelHash, generator.ditRuntime()));
        }
        return pngs;
    }
}
