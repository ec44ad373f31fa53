package dev.ldm.jobs;

import dev.ldm.LdmException;
import dev.ldm.data.Sample;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.image.PngWriter;
import dev.ldm.io.AtomicFiles;
import dev.ldm.onnx.Device;
import dev.ldm.util.Interrupt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prior preservation (DreamBooth's regularisation images, kohya's {@code reg} folder) made by the base
 * model itself: for each prompt it draws {@code perPrompt} images with the model's default settings,
 * and fine-tuning trains on them beside the user's images, captioned with their prompts, so that what
 * the model drew before stays what it draws. Images are written once into a folder
 * ({@code NNNNN-K.png} with the prompt in {@code NNNNN-K.txt}); a re-run reuses the ones there.
 */
public final class PriorImages {
    /** Prompt-line limit, so a mistaken file does not start hours of rendering. */
    public static final int MAX_IMAGES = 10_000;

    private PriorImages() {}

    /**
     * The base model's images for the prompts, drawn into {@code dir} where missing.
     *
     * @param seed first seed: prompt i's images use seeds seed + i·perPrompt …
     * @return the samples (image and prompt) in prompt order
     */
    public static List<Sample> ensure(ModelFolder base, Device device, List<String> prompts, int perPrompt, long seed,
            Path dir, JobEvents events) {
        if (perPrompt < 1 || (long) perPrompt * prompts.size() > MAX_IMAGES) {
            throw LdmException.badInput("prior images: " + prompts.size() + " prompts x " + perPrompt + " must be 1 to "
                    + MAX_IMAGES + " images");
        }
        List<Sample> samples = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            boolean all = true;
            for (int k = 0; k < perPrompt; k++) {
                Path png = dir.resolve(name(i, k) + ".png");
                samples.add(new Sample(png, prompts.get(i)));
                all &= Files.isRegularFile(png) && Files.isRegularFile(caption(png));
            }
            if (!all) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return samples;
        }
        events.warning(String.format(Locale.ROOT, "drawing %d prior-preservation images with the base model into %s",
                missing.size() * perPrompt, dir));
        ModelManifest.Defaults d = base.manifest().defaults();
        try (Interrupt.Guard guard = Interrupt.guard(); Generator g = Generator.open(base, device)) {
            Files.createDirectories(dir);
            int drawn = 0;
            for (int i : missing) {
                Interrupt.check("while drawing the prior images (" + drawn + " of " + missing.size() + " prompts "
                        + "drawn into " + dir + " and kept: the next run draws the rest)");
                drawn++;
                GenerateRequest request = new GenerateRequest(prompts.get(i), "", d.steps(), d.cfg(),
                        seed + (long) i * perPrompt, perPrompt, d.size(), d.sampler(), d.shift(),
                        d.guidanceInterval());
                List<GeneratedImage> images = g.generate(request, StepListener.NONE, null);
                for (int k = 0; k < perPrompt; k++) {
                    Path png = dir.resolve(name(i, k) + ".png");
                    AtomicFiles.writeString(caption(png), prompts.get(i));
                    AtomicFiles.write(png, PngWriter.encode(images.get(k).image(), Map.of()));
                }
            }
        } catch (IOException e) {
            throw LdmException.failure("cannot write prior images into " + dir + " (" + e.getMessage() + ")", e);
        }
        return samples;
    }

    private static String name(int prompt, int k) {
        return String.format(Locale.ROOT, "%05d-%d", prompt, k);
    }

    private static Path caption(Path png) {
        String n = png.getFileName().toString();
        return png.resolveSibling(n.substring(0, n.length() - 4) + ".txt");
    }
}
