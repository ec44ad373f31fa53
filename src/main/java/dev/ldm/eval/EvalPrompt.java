package dev.ldm.eval;

/**
 * One evaluation prompt and the class its images should show.
 *
 * @param prompt the text rendered
 * @param label the judge's class for its images, or null to take it from the prompt by the judge's
 *     label rule ({@code fox, noto style} → {@code fox}); a prompt phrased freely ({@code a red fox})
 *     names its class explicitly
 * @param colour the colour word its images should show, or null: each image's measured dominant
 *     colour ({@code DominantColour}) is compared with it (recoloured-pair checks, issue 14)
 */
public record EvalPrompt(String prompt, String label, String colour) {
    /** A prompt without a colour check. */
    public EvalPrompt(String prompt, String label) {
        this(prompt, label, null);
    }

    /** The text the judge's label rule reads: the explicit label, else the prompt. */
    public String labelSource() {
        return label != null ? label : prompt;
    }
}
