package dev.ldm.data.emoji;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contents of {@code split.json}: how the emoji set was split and filtered, the counts per
 * style, and every held-out image, so that evaluation can tell a concept held out in one style
 * (known to the model, in another artist's hand) from one it never saw.
 *
 * @param version the split's hash salt ({@link DataSplit#VERSION})
 * @param conceptRate fraction of concepts held out in every style
 * @param styleRate fraction of the remaining concepts held out per style
 * @param rules the split and filter rules in words
 * @param styles counts by style word
 * @param heldoutConcepts the concepts held out in every style, with their labels
 * @param heldout every held-out image
 */
public record SplitSummary(String version, double conceptRate, double styleRate, List<String> rules,
        Map<String, EmojiPlan.StyleCounts> styles, List<Concept> heldoutConcepts, List<Heldout> heldout) {

    /** A concept held out in every style. */
    public record Concept(String key, String label) {}

    /**
     * One held-out image.
     *
     * @param file its path below the data set folder
     * @param part {@code heldout/style} or {@code heldout/concept}
     */
    public record Heldout(String style, String key, String label, String part, String file) {}

    public static final List<String> RULES = List.of(
            "concept = the normalised code-point key without skin-tone modifiers (1F3FB-1F3FF)",
            "showcase concepts always in train: " + DataSplit.SHOWCASE.stream().map(EmojiKey::value).sorted().toList(),
            "H(text) = first 64 bits of SHA-256('" + DataSplit.VERSION + "/' + text) / 2^64",
            "held out in every style (heldout/concept): H('concept/' + concept) < " + DataSplit.CONCEPT_RATE,
            "else held out in one style (heldout/style): H(style + '/' + concept) < " + DataSplit.STYLE_RATE,
            "else train",
            "Fluent: dropped emojibase country-flag and subdivision-flag, technologist (any), paperclip "
                    + "(1F4CE, Clippy), video game (1F3AE): not open-sourced by Microsoft",
            "Fluent: of files with the same normalised key, the first file name in sorted order is kept",
            "Fluent with skin tones: medium-light (1F3FC) and medium (1F3FD) files exchanged where the "
                    + "medium-light one has the lower mean luminance",
            "captions: emojibase en label folded to lower-case ASCII + ', <style> style'");

    /** The summary of a plan. */
    public static SplitSummary of(EmojiPlan plan) {
        Map<String, EmojiPlan.StyleCounts> styles = new LinkedHashMap<>();
        plan.counts().forEach((s, c) -> styles.put(s.word(), c));
        Map<String, String> concepts = new TreeMap<>();
        List<Heldout> heldout = new ArrayList<>();
        for (EmojiPlan.Item item : plan.items()) {
            if (item.part() == DataSplit.Part.TRAIN) {
                continue;
            }
            EmojiImage img = item.image();
            if (item.part() == DataSplit.Part.HELDOUT_CONCEPT) {
                concepts.putIfAbsent(img.key().concept().value(), img.label().label());
            }
            String file = item.part().folder() + "/" + img.style().word() + "/" + img.key().value() + ".png";
            heldout.add(new Heldout(img.style().word(), img.key().value(), img.label().label(),
                    item.part().folder(), file));
        }
        List<Concept> conceptList = new ArrayList<>();
        concepts.forEach((k, l) -> conceptList.add(new Concept(k, l)));
        return new SplitSummary(DataSplit.VERSION, DataSplit.CONCEPT_RATE, DataSplit.STYLE_RATE, RULES, styles,
                conceptList, heldout);
    }
}
