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
 * @param group the group the prompt's figures are also counted in, or null: {@code ldm eval} reports
 *     accuracy per group as well as in all ("bare", "colour" and "drawing" phrasings, for example)
 */
public record EvalPrompt(String prompt, String label, String colour, String group) {
    /** A prompt without a colour check or group. */
    public EvalPrompt(String prompt, String label) {
        this(prompt, label, null, null);
    }

    /** The text the judge's label rule reads: the explicit label, else the prompt. */
    public String labelSource() {
        return label != null ? label : prompt;
    }
}
