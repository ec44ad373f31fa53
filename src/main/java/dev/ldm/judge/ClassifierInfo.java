package dev.ldm.judge;

import dev.ldm.LdmException;
import dev.ldm.metrics.Accuracy;
import java.util.List;

/**
 * {@code classifier.json}: what a trained judge is, how it was made and how good it is. Its
 * held-out accuracy is the ceiling for the prompt accuracy of any generator judged by it.
 *
 * @param format always {@value #FORMAT}
 * @param config the architecture
 * @param label the {@link LabelRule} that turns captions and prompts into classes
 * @param classes class labels in logit order
 * @param training the training settings
 * @param data the training folder
 * @param trainImages images trained on
 * @param heldout where the held-out images came from
 * @param ceiling top-1/top-5 accuracy on held-out real images
 * @param trainAccuracy top-1/top-5 accuracy on the (un-augmented) training images
 * @param seconds wall time of training and measurement
 */
public record ClassifierInfo(String format, ClassifierConfig config, String label, List<String> classes,
        ClassifierTrainConfig training, String data, int trainImages, String heldout, Accuracy.Figures ceiling,
        Accuracy.Figures trainAccuracy, double seconds) {
    public static final String FORMAT = "ldm-classifier/1";

    /** Checks a loaded file. */
    public void validate(String where) {
        if (!FORMAT.equals(format)) {
            throw LdmException.badInput(where + ": unknown format '" + format + "' (expected " + FORMAT + ")");
        }
        if (config == null || classes == null || label == null) {
            throw LdmException.badInput(where + ": config, label or classes missing");
        }
        if (classes.size() != config.classes()) {
            throw LdmException.badInput(where + ": " + classes.size() + " class names for " + config.classes()
                    + " classes");
        }
        LabelRule.parse(label);
    }

    public LabelRule labelRule() {
        return LabelRule.parse(label);
    }
}
