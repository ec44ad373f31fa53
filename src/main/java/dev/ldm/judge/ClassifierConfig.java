package dev.ldm.judge;

import dev.ldm.LdmException;
import java.util.List;

/**
 * Architecture of the judge CNN (saved beside its weights; loading refuses a mismatch).
 *
 * <p>Stem conv 3×3 (3 → w₀) and SiLU, then one stage per width wᵢ: a 3×3 conv (stride 2 from the
 * second stage on) wᵢ₋₁ → wᵢ and a 3×3 conv wᵢ → wᵢ, each followed by group normalisation (up to 8
 * groups) and SiLU. The stem has no normalisation: normalising its output per image would divide
 * out how far a colour is from the background, so red and orange would look alike. A global
 * average pool gives the feature vector (width w_last, the space FID is measured in); a linear
 * layer gives class logits.
 *
 * @param size input side in pixels (images are resized to it)
 * @param widths channels per stage
 * @param classes number of classes
 */
public record ClassifierConfig(int size, List<Integer> widths, int classes) {
    /** Largest feature width (the Fréchet distance is computed in plain Java, O(d³)). */
    public static final int MAX_FEATURES = 256;

    public ClassifierConfig {
        check(size >= 4 && size <= 512, "classifier --size must be between 4 and 512, not " + size);
        check(widths != null && !widths.isEmpty() && widths.size() <= 6, "classifier widths: 1 to 6 stages");
        widths = List.copyOf(widths);
        for (int w : widths) {
            check(w >= 1 && w <= MAX_FEATURES, "classifier widths must be between 1 and " + MAX_FEATURES + ", not " + w);
        }
        check(size >> (widths.size() - 1) >= 1, "classifier: " + widths.size() + " stages halve " + size
                + " px below one pixel");
        check(classes >= 2, "the classifier needs at least 2 classes, not " + classes);
    }

    /** The default widths: 32, 64, 128 (128 features). */
    public static final List<Integer> DEFAULT_WIDTHS = List.of(32, 64, 128);

    /** Side of the last stage's feature map: each stride-2 stage (3×3, padding 1) maps a side n to ⌈n / 2⌉. */
    public int mapSide() {
        int s = size;
        for (int i = 1; i < widths.size(); i++) {
            s = (s + 1) / 2;
        }
        return s;
    }

    public int featureDim() {
        return widths.get(widths.size() - 1);
    }

    /** Parses "32,64,128". */
    public static List<Integer> parseWidths(String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw LdmException.badInput("--widths must be comma-separated integers such as 32,64,128, not '"
                    + text + "'");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput(message);
        }
    }
}
