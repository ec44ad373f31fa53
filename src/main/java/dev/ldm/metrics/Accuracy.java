package dev.ldm.metrics;

/**
 * Counts of top-1 and top-5 hits over scored images, plus images whose label the classifier does
 * not know (not scored). Immutable; {@link #plus} adds counts.
 *
 * @param scored images with a known label
 * @param top1Hits images whose true class ranked first
 * @param top5Hits images whose true class ranked in the first five
 * @param unknown images skipped because their label is not one of the classifier's classes
 */
public record Accuracy(int scored, int top1Hits, int top5Hits, int unknown) {
    public static final Accuracy NONE = new Accuracy(0, 0, 0, 0);
    static final Accuracy UNKNOWN = new Accuracy(0, 0, 0, 1);

    public Accuracy {
        if (scored < 0 || unknown < 0 || top1Hits < 0 || top1Hits > top5Hits || top5Hits > scored) {
            throw new IllegalArgumentException("inconsistent counts: scored " + scored + ", top-1 " + top1Hits
                    + ", top-5 " + top5Hits + ", unknown " + unknown);
        }
    }

    /** One scored image whose true class had {@code rank} classes above it. */
    public static Accuracy of(int rank) {
        return new Accuracy(1, rank < 1 ? 1 : 0, rank < 5 ? 1 : 0, 0);
    }

    public Accuracy plus(Accuracy o) {
        return new Accuracy(scored + o.scored, top1Hits + o.top1Hits, top5Hits + o.top5Hits, unknown + o.unknown);
    }

    /** Fraction of scored images that were top-1 hits (NaN when none were scored). */
    public double top1() {
        return scored == 0 ? Double.NaN : (double) top1Hits / scored;
    }

    public double top5() {
        return scored == 0 ? Double.NaN : (double) top5Hits / scored;
    }

    /** The fractions, for reports and JSON (null when no image was scored, rather than NaN). */
    public Figures figures() {
        return scored == 0 ? new Figures(0, unknown, null, null) : new Figures(scored, unknown, top1(), top5());
    }

    /**
     * Accuracy as reported.
     *
     * @param scored images with a label the classifier knows
     * @param unknown images skipped because their label is not one of its classes
     * @param top1 fraction of scored images whose true class ranked first (null when none)
     * @param top5 fraction whose true class ranked in the first five (null when none)
     */
    public record Figures(int scored, int unknown, Double top1, Double top5) {}
}
