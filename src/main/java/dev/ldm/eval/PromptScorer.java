package dev.ldm.eval;

import dev.ldm.flow.StepListener;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.metrics.Accuracy;
import dev.ldm.metrics.TopK;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt accuracy: k seeded images per prompt, rendered as one batch and saved-as-PNG exact
 * (8-bit pixels), each judged against the prompt's class label.
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
        for (int i = 0; i < prompts.size(); i++) {
            String prompt = prompts.get(i).prompt();
            String labelSource = prompts.get(i).labelSource();
            GenerateRequest request = new GenerateRequest(prompt, "", s.steps(), s.cfg(), s.seedOf(i), s.k(),
                    s.size(), s.sampler(), s.shift());
            List<Tensor> images = new ArrayList<>();
            for (GeneratedImage g : gen.generate(request, StepListener.NONE, null)) {
                images.add(Images.toTensor(g.image(), judge.size())); // [3, S, S]
            }
            Classifier.Scores scores = judge.score(images);
            features.addAll(List.of(scores.features()));
            int label = judge.classOf(labelSource);
            int[] labels = new int[images.size()];
            java.util.Arrays.fill(labels, label);
            Accuracy acc = TopK.score(scores.logits(), labels);
            total = total.plus(acc);
            per.add(new EvalReport.PromptScore(prompt, judge.labelRule().label(labelSource), label >= 0, images.size(),
                    acc.top1Hits(), acc.top5Hits()));
            listener.onPrompt(i + 1, prompts.size());
        }
        EvalReport.Prompts p = new EvalReport.Prompts(prompts.size(), features.size(), total.figures(), per);
        return new Result(p, features.toArray(new float[0][]));
    }
}
