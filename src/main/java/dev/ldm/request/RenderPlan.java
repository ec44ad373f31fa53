package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.generate.Timings;
import java.util.List;
import java.util.Map;

/**
 * What {@code ldm generate} renders: the request, and for a re-render from a PNG the batch that
 * originally sampled the image, so that image is sampled in the same company and comes out with the
 * same bytes. Explicit options override stored ones; stored ones override the model's defaults.
 *
 * @param request the request (n images from its seed, or the one image of {@code origin})
 * @param origin the original batch to re-run and pick from, or null to render {@code request} as is
 */
public record RenderPlan(GenerateRequest request, BatchOrigin origin) {
    /** A plain generation: explicit options over the model's defaults. */
    public static RenderPlan of(RequestOptions explicit, ModelManifest.Defaults defaults, long randomSeed) {
        return new RenderPlan(explicit.resolve(defaults, randomSeed), null);
    }

    /**
     * A re-render of a PNG's settings with the explicit options on top. The original batch is
     * re-run unless {@code --seed} or {@code --n} is given; a stored init image must still have the
     * bytes it had, and a stored value that does not map must be overridden.
     */
    public static RenderPlan rerender(RequestOptions explicit, StoredSettings stored, ModelManifest.Defaults defaults,
            long randomSeed) {
        for (Map.Entry<String, String> e : stored.unmapped().entrySet()) {
            if (!explicit.has(e.getKey())) {
                throw LdmException.badInput(e.getValue());
            }
        }
        GenerateRequest request;
        try {
            request = explicit.orElse(stored.options()).resolve(defaults, randomSeed);
        } catch (LdmException e) {
            throw LdmException.badInput(stored.file() + ": " + e.getMessage(), e);
        }
        if (stored.initSha256() != null && explicit.initImage() == null && request.init() != null
                && !request.init().sha256().equals(stored.initSha256())) {
            throw LdmException.badInput(stored.file() + ": its init image " + request.init().path()
                    + " has changed since the image was made; pass the original with --init-image");
        }
        boolean sameBatch = stored.batch() != null && explicit.seed() == null && explicit.n() == null;
        return new RenderPlan(request, sameBatch ? stored.batch() : null);
    }

    /** Renders: the whole original batch when there is one, keeping only this image. */
    public List<GeneratedImage> render(Generator generator, StepListener listener, Timings[] timings) {
        if (origin == null) {
            return generator.generate(request, listener, timings);
        }
        List<GeneratedImage> all = generator.generate(origin.batchRequest(request), listener, timings);
        return List.of(all.get(origin.index()));
    }

    /** Sampler steps the render takes (for a progress bar). */
    public int steps() {
        return request.steps();
    }
}
