package dev.ldm.eval;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.image.Images;
import dev.ldm.image.Restyle;
import dev.ldm.lora.LoraRef;
import dev.ldm.onnx.Device;
import dev.ldm.util.Interrupt;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * How far fine-tuning moved a model towards a style, on prompts of concepts the fine-tuning data
 * does not show: the mean {@link Restyle#trait} of the base model's images, of the tuned model's
 * (the base with LoRA adapters merged, or a fully fine-tuned model folder), and of real images in
 * the style; {@code moved = (tuned − base) / (real − base)}, 0 for no change and 1 for the real
 * style's value. Both models draw with the same seeds and settings; the base model draws
 * {@code basePrompts} (the same concepts as the base model would be asked for them, for example without
 * the fine-tuning's trigger word), line by line beside {@code prompts}.
 *
 * @param base the base model
 * @param loras adapters that make the tuned model from the base (empty when {@code tuned} is given)
 * @param tuned a fully fine-tuned model folder, or null
 * @param device where the models run
 * @param style the style and its trait
 * @param prompts what the tuned model draws, each {@code settings.k()} times
 * @param basePrompts what the base model draws, one per line of {@code prompts}
 * @param real real images in the style (of the prompts' concepts, at the model's size)
 * @param settings how images are generated
 */
public record StyleShift(ModelFolder base, List<LoraRef> loras, ModelFolder tuned, Device device, Restyle style,
        List<String> prompts, List<String> basePrompts, Path real, EvalSettings settings) {
    public StyleShift {
        loras = List.copyOf(loras);
        prompts = List.copyOf(prompts);
        basePrompts = List.copyOf(basePrompts);
        if (basePrompts.size() != prompts.size()) {
            throw LdmException.badInput("the base prompts (" + basePrompts.size() + ") and the prompts ("
                    + prompts.size() + ") must pair line by line");
        }
        if (loras.isEmpty() == (tuned == null)) {
            throw LdmException.badInput("give the tuned model as --lora FILE or as --tuned DIR (one of them)");
        }
        if (prompts.isEmpty()) {
            throw LdmException.badInput("no prompts to draw");
        }
    }

    /** The three trait means and how far the tuned model moved. */
    public record Report(String style, int prompts, int imagesPerModel, int realImages, double base, double tuned,
            double real, double moved) {}

    public Report run(IntConsumer promptsDone) {
        double baseTrait;
        double tunedTrait;
        try (Generator g = Generator.open(base, device)) {
            baseTrait = meanTrait(g, basePrompts, promptsDone);
        }
        try (Generator g = tuned == null ? Generator.open(base, device, loras) : Generator.open(tuned, device)) {
            tunedTrait = meanTrait(g, prompts, promptsDone);
        }
        List<Sample> samples = ImageFolder.scan(real);
        if (samples.isEmpty()) {
            throw LdmException.badInput(real + ": no images");
        }
        double realTrait = 0;
        for (Sample s : samples) {
            realTrait += style.trait(Images.toImage(Images.toTensor(Images.read(s.image()), settings.size())));
        }
        realTrait /= samples.size();
        return new Report(style.word(), prompts.size(), prompts.size() * settings.k(), samples.size(), baseTrait,
                tunedTrait, realTrait, (tunedTrait - baseTrait) / (realTrait - baseTrait));
    }

    private double meanTrait(Generator g, List<String> prompts, IntConsumer promptsDone) {
        double sum = 0;
        int n = 0;
        try (Interrupt.Guard guard = Interrupt.guard()) { // Ctrl-C or kill: stop between prompts
            for (int i = 0; i < prompts.size(); i++) {
                Interrupt.check("after " + i + " of " + prompts.size() + " prompts (no report written)");
                GenerateRequest request = settings.request(prompts.get(i), i);
                for (GeneratedImage img : g.generate(request, StepListener.NONE, null)) {
                    sum += style.trait(img.image());
                    n++;
                }
                promptsDone.accept(i + 1);
            }
        }
        return sum / n;
    }
}
