package dev.ldm.data;

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
     */
    public record StyleCounts(int files, int labelled, long distinctLabelled, int unlabelled, int missing,
            Map<String, Integer> dropped, int fluentTonePairs, int fluentTonesSwapped, int kept, long concepts,
            int train, int heldoutStyle, int heldoutConcept) {}

    private final List<Item> items;
    private final Map<EmojiStyle, StyleCounts> counts;

    private EmojiPlan(List<Item> items, Map<EmojiStyle, StyleCounts> counts) {
        this.items = List.copyOf(items);
        this.counts = Collections.unmodifiableMap(counts);
    }

    /** Plans the set from installed packages in {@code nodeModules}. */
    public static EmojiPlan make(Path nodeModules, EmojiLabels labels, List<EmojiStyle> styles,
            boolean skinTones, Consumer<String> log) {
        return make(s -> EmojiCatalog.join(s, nodeModules, labels), styles, skinTones, log);
    }

    /** @param join the labelled images of a style (tests give in-memory joins) */
    static EmojiPlan make(Function<EmojiStyle, EmojiCatalog.Join> join, List<EmojiStyle> styles,
            boolean skinTones, Consumer<String> log) {
        List<Item> items = new ArrayList<>();
        Map<EmojiStyle, StyleCounts> counts = new LinkedHashMap<>();
        for (EmojiStyle style : styles) {
            StyleCounts c = planStyle(style, join.apply(style), skinTones, items);
            counts.put(style, c);
            log.accept(style.word() + ": " + c.files() + " files, " + c.labelled() + " labelled, " + c.kept()
                    + " kept (" + c.train() + " train, " + c.heldoutStyle() + " held out in this style, "
                    + c.heldoutConcept() + " of held-out concepts)");
        }
        return new EmojiPlan(items, counts);
    }

    /** Filters one style's joined images, appends them to {@code items} with their parts, and counts. */
    private static StyleCounts planStyle(EmojiStyle style, EmojiCatalog.Join j, boolean skinTones, List<Item> items) {
        List<EmojiImage> images = j.images();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        FluentSkinTones.Result tones = new FluentSkinTones.Result(List.of(), 0, 0);
        if (style == EmojiStyle.FLUENT) {
            FluentDefects.Result r = FluentDefects.apply(images);
            images = r.kept();
            dropped.putAll(r.dropped());
        }
        if (!skinTones) {
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
                images.stream().map(i -> i.key().concept()).distinct().count(), parts[0], parts[1], parts[2]);
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
