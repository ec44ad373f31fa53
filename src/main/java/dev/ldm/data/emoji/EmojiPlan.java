package dev.ldm.data.emoji;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the emoji data set will contain, decided before any image is decoded: the joined images of
 * each style, the Fluent defects removed (and, with skin tones, the Fluent medium tones repaired),
 * skin-tone variants dropped unless asked for, and each image assigned to its {@link DataSplit} part.
 * Every count the build reports comes from here.
 */
public final class EmojiPlan {
    public static final String RULE_SKIN_TONE = "skin-tone variant (kept only with --skin-tones)";

    /** One output image: its source, label and part of the split. */
    public record Item(EmojiImage image, DataSplit.Part part) {
        /** {@code ROOT/<part>/<style>/<KEY>.png}, for example {@code train/twemoji/1F98A.png}. */
        public Path png(Path root) {
            return root.resolve(part.folder()).resolve(image.style().word()).resolve(image.key().value() + ".png");
        }
    }

    /**
     * Counts of one style, from package files to the split.
     *
     * @param files image files (emoji.json entries with an image, or Fluent files) found
     * @param labelled files whose key has an emojibase label
     * @param distinctLabelled distinct keys among the labelled files
     * @param unlabelled files without a label (left out)
     * @param missing emoji.json entries whose file is absent
     * @param dropped files removed by each rule
     * @param fluentTonePairs Fluent medium-light / medium pairs measured (0 unless skin tones are kept)
     * @param fluentTonesSwapped how many of those pairs had their files exchanged
     * @param kept images in the data set
     * @param concepts distinct concepts (keys without skin tone) among them
     * @param train images in train/
     * @param heldoutStyle images held out in this style only
     * @param heldoutConcept images of concepts held out in every style
     * @param icons for a vector set, names skipped in icons.json and how names were joined; null for
     *     image files (and then absent from split.json)
     */
    public record StyleCounts(int files, int labelled, long distinctLabelled, int unlabelled, int missing,
            Map<String, Integer> dropped, int fluentTonePairs, int fluentTonesSwapped, int kept, long concepts,
            int train, int heldoutStyle, int heldoutConcept, Map<String, Integer> icons) {}

    private final List<Item> items;
    private final Map<EmojiStyle, StyleCounts> counts;

    private EmojiPlan(List<Item> items, Map<EmojiStyle, StyleCounts> counts) {
        this.items = List.copyOf(items);
        this.counts = Collections.unmodifiableMap(counts);
    }

    /** Plans the set from the PNG source's packages installed in {@code nodeModules}. */
    public static EmojiPlan make(Path nodeModules, EmojiLabels labels, List<EmojiStyle> styles,
            boolean skinTones, Consumer<String> log) {
        return make(s -> EmojiCatalog.join(s, nodeModules, labels), styles, skinTones, 1, log);
    }

    /** Plans the set of {@code config}'s source, styles and skin tones from packages in {@code nodeModules}. */
    public static EmojiPlan make(Path nodeModules, EmojiLabels labels, EmojiDatasetConfig config, Consumer<String> log) {
        if (config.source() == EmojiSource.PNG) {
            return make(nodeModules, labels, config.styles(), config.skinTones(), log);
        }
        EmojiNames names = EmojiNames.read(nodeModules, labels);
        return make(s -> IconifyCatalog.join(s, nodeModules, labels, names), config.styles(), config.skinTones(),
                config.threads(), log);
    }

    /** @param join the labelled images of a style (tests give in-memory joins) */
    static EmojiPlan make(Function<EmojiStyle, EmojiCatalog.Join> join, List<EmojiStyle> styles,
            boolean skinTones, Consumer<String> log) {
        return make(join, styles, skinTones, 1, log);
    }

    /**
     * @param join the labelled images of a style (tests give in-memory joins)
     * @param threads threads for checking vector icons
     */
    static EmojiPlan make(Function<EmojiStyle, EmojiCatalog.Join> join, List<EmojiStyle> styles,
            boolean skinTones, int threads, Consumer<String> log) {
        List<Item> items = new ArrayList<>();
        Map<EmojiStyle, StyleCounts> counts = new LinkedHashMap<>();
        for (EmojiStyle style : styles) {
            StyleCounts c = planStyle(style, join.apply(style), skinTones, threads, log, items);
            counts.put(style, c);
            log.accept(style.word() + ": " + c.files() + " files, " + c.labelled() + " labelled, " + c.kept()
                    + " kept (" + c.train() + " train, " + c.heldoutStyle() + " held out in this style, "
                    + c.heldoutConcept() + " of held-out concepts)");
        }
        return new EmojiPlan(items, counts);
    }

    /** Filters one style's joined images, appends them to {@code items} with their parts, and counts. */
    private static StyleCounts planStyle(EmojiStyle style, EmojiCatalog.Join j, boolean skinTones, int threads,
            Consumer<String> log, List<Item> items) {
        List<EmojiImage> images = j.images();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        FluentSkinTones.Result tones = new FluentSkinTones.Result(List.of(), 0, 0);
        boolean vector = images.stream().anyMatch(i -> i.icon() != null);
        if (!skinTones && vector) { // before the checks: no time spent on icons left out anyway
            List<EmojiImage> base = images.stream().filter(i -> !i.key().isSkinToneVariant()).toList();
            dropped.put(RULE_SKIN_TONE, images.size() - base.size());
            images = base;
        }
        if (style == EmojiStyle.FLUENT || vector) {
            FluentDefects.Result r = vector ? IconFilter.apply(images, threads, log) : FluentDefects.apply(images);
            images = r.kept();
            dropped.putAll(r.dropped());
        }
        if (!skinTones && !vector) {
            List<EmojiImage> base = images.stream().filter(i -> !i.key().isSkinToneVariant()).toList();
            dropped.put(RULE_SKIN_TONE, images.size() - base.size());
            images = base;
        } else if (style == EmojiStyle.FLUENT) {
            tones = FluentSkinTones.repair(images);
            images = tones.images();
        }
        int[] parts = new int[DataSplit.Part.values().length];
        for (EmojiImage img : images) {
            DataSplit.Part part = DataSplit.of(style, img.key());
            parts[part.ordinal()]++;
            items.add(new Item(img, part));
        }
        int labelled = j.images().size();
        return new StyleCounts(labelled + j.unlabelled().size(), labelled, j.distinctKeys(), j.unlabelled().size(),
                j.missing().size(), dropped, tones.pairs(), tones.swapped(), images.size(),
                images.stream().map(i -> i.key().concept()).distinct().count(), parts[0], parts[1], parts[2],
                j.notes().isEmpty() ? null : j.notes());
    }

    /** Every image, style by style, sorted by key within a style. */
    public List<Item> items() {
        return items;
    }

    /** Counts by style, in style order. */
    public Map<EmojiStyle, StyleCounts> counts() {
        return counts;
    }
}
