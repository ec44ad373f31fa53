package dev.ldm.eval;

import dev.ldm.flow.StepListener;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.image.DominantColour;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.metrics.Accuracy;
import dev.ldm.metrics.TopK;
import dev.ldm.util.Interrupt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompt accuracy: k seeded images per prompt, rendered as one batch and saved-as-PNG exact
 * (8-bit pixels), each judged against the prompt's class label and, when the prompt names a colour,
 * checked for that colour as its measured dominant colour; the hits are also summed per prompt group.
 */
final class PromptScorer {
    /** The prompt figures and the judge's features of every generated image (for FID). */
    record Result(EvalReport.Prompts prompts, float[][] features) {}

    private PromptScorer() {}

    static Result run(Generator gen, TrainedClassifier judge, List<EvalPrompt> prompts, EvalSettings s,
            ModelEvaluator.Listener listener) {
        List<EvalReport.PromptScore> per = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        Accuracy total = Accuracy.NONE;
        int colourImages = 0;
        int colourTotal = 0;
        Map<String, Accuracy> groups = new LinkedHashMap<>();
        Map<String, Integer> groupPrompts = new LinkedHashMap<>();
        try (Interrupt.Guard guard = Interrupt.guard()) { // Ctrl-C or kill: stop between prompts
            for (int i = 0; i < prompts.size(); i++) {
                Interrupt.check("after " + i + " of " + prompts.size() + " prompts (no report written)");
                String prompt = prompts.get(i).prompt();
                String labelSource = prompts.get(i).labelSource();
                GenerateRequest request = s.request(prompt, i);
                List<Tensor> images = new ArrayList<>();
                String colour = prompts.get(i).colour();
                Integer colourHits = colour == null ? null : 0;
                for (GeneratedImage g : gen.generate(request, StepListener.NONE, null)) {
                    images.add(Images.toTensor(g.image(), judge.size())); // [3, S, S]
                    if (colour != null && DominantColour.of(g.image()).filter(colour::equals).isPresent()) {
                        colourHits++;
                    }
                }
                if (colour != null) {
                    colourImages += images.size();
                    colourTotal += colourHits;
                }
                Classifier.Scores scores = judge.score(images);
                features.addAll(List.of(scores.features()));
                int label = judge.classOf(labelSource);
                int[] labels = new int[images.size()];
                java.util.Arrays.fill(labels, label);
                Accuracy acc = TopK.score(scores.logits(), labels);
                total = total.plus(acc);
                String group = prompts.get(i).group();
                if (group != null) {
                    groups.merge(group, acc, Accuracy::plus);
                    groupPrompts.merge(group, 1, Integer::sum);
                }
                per.add(new EvalReport.PromptScore(prompt, judge.labelRule().label(labelSource), label >= 0,
                        images.size(), acc.top1Hits(), acc.top5Hits(), colour, colourHits, group));
                listener.onPrompt(i + 1, prompts.size());
            }
        }
        EvalReport.Colour colour = colourImages == 0 ? null
                : new EvalReport.Colour(colourImages, colourTotal, (double) colourTotal / colourImages);
        List<EvalReport.Group> byGroup = groups.isEmpty() ? null : groups.entrySet().stream()
                .map(e -> new EvalReport.Group(e.getKey(), groupPrompts.get(e.getKey()), e.getValue().figures()))
                .toList();
        EvalReport.Prompts p = new EvalReport.Prompts(prompts.size(), features.size(), total.figures(), per, colour,
                byGroup);
        return new Result(p, features.toArray(new float[0][]));
    }
}
