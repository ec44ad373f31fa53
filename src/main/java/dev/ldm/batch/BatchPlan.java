package dev.ldm.batch;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.request.RequestOptions;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the lines of a batch file into sampling batches. Each line's settings are its overrides,
 * then the command's options, then the model's defaults. A line without {@code --seed} gets a seed
 * derived from the base seed and the line's position among the prompts, so a re-run draws the same
 * images. A line's n images are split into batches of at most {@code batchSize}: image i of a line
 * uses seed + i, as in {@code ldm generate --n}.
 */
public final class BatchPlan {
    private BatchPlan() {}

    /**
     * @throws LdmException bad input naming {@code file:line} for a line whose settings are invalid
     */
    public static List<BatchJob> build(List<PromptLine> lines, RequestOptions commandOptions,
            ModelManifest.Defaults defaults, long baseSeed, int batchSize) {
        if (batchSize < 1 || batchSize > GenerateRequest.MAX_N) {
            throw LdmException.badInput("--batch-size must be between 1 and " + GenerateRequest.MAX_N + ", not "
                    + batchSize);
        }
        List<BatchJob> jobs = new ArrayList<>();
        long index = 0;
        for (PromptLine line : lines) {
            GenerateRequest r;
            try {
                r = line.options().orElse(commandOptions).resolve(defaults, lineSeed(baseSeed, line.ordinal()));
            } catch (LdmException e) {
                throw LdmException.badInput(line.where() + ": " + e.getMessage(), e);
            }
            for (int first = 0; first < r.n(); first += batchSize) {
                int k = Math.min(batchSize, r.n() - first);
                if (index + first > Integer.MAX_VALUE - GenerateRequest.MAX_N) {
                    throw LdmException.badInput(line.where() + ": too many images in one batch file");
                }
                GenerateRequest part = r.withSeed(r.seed() + first).withN(k);
                jobs.add(new BatchJob(line.where(), line.source(), part, (int) (index + first)));
            }
            index += r.n();
        }
        return jobs;
    }

    /**
     * Checks every batch's image size against the model before anything is rendered.
     *
     * @param latentSide the model's check ({@code Generator::latentSide}): throws bad input for a
     *     size it cannot draw (or a draft anchor that does not divide its latent side)
     * @throws LdmException bad input naming {@code file:line}
     */
    public static void checkSizes(List<BatchJob> jobs,
            java.util.function.ToIntFunction<dev.ldm.generate.GenerateRequest> latentSide) {
        for (BatchJob job : jobs) {
            try {
                latentSide.applyAsInt(job.request());
            } catch (LdmException e) {
                throw LdmException.badInput(job.where() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The seed of a line without --seed: 32 bits drawn from (base seed, prompt position). */
    public static long lineSeed(long baseSeed, int ordinal) {
        return Rng.stream(baseSeed, "batch prompt " + ordinal).nextLong() >>> 32;
    }
}
