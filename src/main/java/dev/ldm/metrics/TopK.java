package dev.ldm.metrics;

/**
 * Top-k accuracy. A prediction is a top-k hit when fewer than k classes score strictly higher than
 * the true class, so ties count in the true class's favour and the result does not depend on the
 * order of the classes.
 */
public final class TopK {
    private TopK() {}

    /** The number of classes that score strictly higher than class {@code label}: 0 = top-1. */
    public static int rank(float[] scores, int label) {
        if (label < 0 || label >= scores.length) {
            throw new IllegalArgumentException("label " + label + " outside 0.." + (scores.length - 1));
        }
        float own = scores[label];
        int rank = 0;
        for (float s : scores) {
            if (s > own) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Top-1 and top-5 hits of {@code scores} [n][classes] against {@code labels}; a label of −1
     * (a class the classifier does not know) is skipped and counted as unknown.
     */
    public static Accuracy score(float[][] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " score rows but " + labels.length + " labels");
        }
        Accuracy acc = Accuracy.NONE;
        for (int i = 0; i < labels.length; i++) {
            acc = acc.plus(labels[i] < 0 ? Accuracy.UNKNOWN : Accuracy.of(rank(scores[i], labels[i])));
        }
        return acc;
    }
}
