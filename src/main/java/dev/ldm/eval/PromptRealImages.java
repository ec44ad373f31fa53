package dev.ldm.eval;

import dev.ldm.judge.LabelRule;
import dev.ldm.judge.LabeledImages;
import dev.ldm.text.PromptText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real images of an evaluation's prompts, k per prompt, as the generated set has k images per
 * prompt: the reference images whose caption is the prompt ({@link PromptText#normalize normalised}),
 * or, for a prompt no caption matches (a free phrasing), those of its class; taken in file order and
 * repeated where a prompt has fewer than k. Their FID against the reference set is the FID of a
 * generator that drew each prompt's own images. It can lie well above the real-vs-real floor, whose
 * subset is drawn from every class: k images per prompt cover fewer classes, and an exact caption
 * has one image, which a perfect generator would draw k times.
 */
final class PromptRealImages {
    private PromptRealImages() {}

    /**
     * @return indices into {@code real}, k for each prompt that has a real image, in prompt order
     */
    static int[] rows(List<EvalPrompt> prompts, int k, LabeledImages real, LabelRule rule) {
        Map<String, List<Integer>> byCaption = new LinkedHashMap<>();
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < real.size(); i++) {
            byCaption.computeIfAbsent(PromptText.normalize(real.captions().get(i)), c -> new ArrayList<>()).add(i);
            byLabel.computeIfAbsent(real.labels().get(i), c -> new ArrayList<>()).add(i);
        }
        List<Integer> out = new ArrayList<>();
        for (EvalPrompt p : prompts) {
            List<Integer> own = byCaption.get(PromptText.normalize(p.prompt()));
            if (own == null) {
                own = byLabel.get(rule.label(p.labelSource()));
            }
            if (own == null) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                out.add(own.get(j % own.size()));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
