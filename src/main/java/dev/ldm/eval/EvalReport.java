package dev.ldm.eval;

import dev.ldm.metrics.Accuracy;
import java.util.List;

/**
 * Everything {@code ldm eval} measures, with the settings that produced it ({@code eval.json}).
 *
 * @param format always {@value #FORMAT}
 * @param settings what was evaluated and how
 * @param ceiling the judge's own top-1/top-5 on held-out real images (from its training)
 * @param real the judge on the reference images given with {@code --data}
 * @param prompts prompt accuracy of generated images
 * @param fid Fréchet distances in the judge's feature space (null with too few images)
 * @param vae VAE round trip on the reference images (null when the model has no VAE encoder)
 * @param seconds wall time
 */
public record EvalReport(String format, Settings settings, Accuracy.Figures ceiling, Accuracy.Figures real,
        Prompts prompts, Fid fid, Vae vae, double seconds) {
    public static final String FORMAT = "ldm-eval/1";

    /**
     * @param model model folder
     * @param modelName its name
     * @param modelHash its model hash (both stages of a cascade; with the LoRAs, as PNGs record it)
     * @param classifier judge folder
     * @param classes the judge's class count
     * @param label the judge's caption → class rule
     * @param data reference image folder
     * @param promptFile prompt file
     * @param generation how images were generated
     */
    public record Settings(String model, String modelName, String modelHash, String classifier, int classes,
            String label, String data, String promptFile, EvalSettings generation) {}

    /**
     * @param prompts prompts evaluated
     * @param images images generated
     * @param accuracy top-1/top-5 over images of prompts whose label the judge knows
     * @param perPrompt each prompt's hits
     * @param colour the colour check over prompts that name a colour, or null when none does
     * @param groups accuracy within each prompt group, in the order the groups first appear, or null
     *     when no prompt names a group
     */
    public record Prompts(int prompts, int images, Accuracy.Figures accuracy, List<PromptScore> perPrompt,
            Colour colour, List<Group> groups) {}

    /**
     * The figures of the prompts of one group.
     *
     * @param name the group's name, as the prompt file gives it
     * @param prompts prompts in the group
     * @param accuracy top-1/top-5 over their images
     */
    public record Group(String name, int prompts, Accuracy.Figures accuracy) {}

    /**
     * The colour check: images of prompts that name a colour, and how many show it as their measured
     * dominant colour.
     *
     * @param images images checked
     * @param hits images whose measured colour is the prompt's
     * @param accuracy hits / images
     */
    public record Colour(int images, int hits, double accuracy) {}

    /**
     * @param prompt the prompt
     * @param label its class label
     * @param known whether the judge has that class
     * @param images images generated
     * @param top1 images whose top-1 class was the label
     * @param top5 images with the label in the top 5
     * @param colour the colour the prompt asks for, or null
     * @param colourHits images whose measured dominant colour is {@code colour} (null without one)
     * @param group the prompt's group, or null
     */
    public record PromptScore(String prompt, String label, boolean known, int images, int top1, int top5,
            String colour, Integer colourHits, String group) {}

    /**
     * FID = d²(generated, reference); floor = d²(real, reference), where real is a random subset of
     * the reference images of the same size as the generated set and reference the disjoint rest.
     *
     * @param fid generated vs reference
     * @param floor real vs reference, the value a perfect generator would get
     * @param generated generated images used (a seeded subset when more were made)
     * @param real real images in the floor's subset (= generated)
     * @param reference real images in the reference set
     * @param featureDim dimension of the judge's feature space
     * @param promptImages the prompts' own real images against the same reference ({@link PromptRealImages}):
     *     the FID of a generator that drew each prompt's real images; null when not measured
     * @param promptImagesCount how many real images that FID compares (k per prompt with a real image)
     */
    public record Fid(double fid, double floor, int generated, int real, int reference, int featureDim,
            Double promptImages, int promptImagesCount) {
        /** Without the prompts' own images. */
        public Fid(double fid, double floor, int generated, int real, int reference, int featureDim) {
            this(fid, floor, generated, real, reference, featureDim, null, 0);
        }

        /** This FID with the prompts' own images measured. */
        Fid withPromptImages(double distance, int count) {
            return new Fid(fid, floor, generated, real, reference, featureDim, distance, count);
        }
    }

    /**
     * @param images reference images round-tripped through encoder and decoder
     * @param psnr mean PSNR in dB (pixels in [-1, 1], peak-to-peak 2)
     * @param accuracy the judge's top-1/top-5 on the reconstructions (compare with {@code real})
     * @param fid the FID of the round trip: the floor's real subset after the round trip against the
     *     same reference ({@link FidMeasure#roundTrip}), the FID a DiT that found every image's exact
     *     latent would get; null when no FID is measured
     */
    public record Vae(int images, double psnr, Accuracy.Figures accuracy, Double fid) {}
}
