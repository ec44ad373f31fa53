package dev.ldm.judge;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
import dev.ldm.data.Sample;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Real images with their class labels (by a {@link LabelRule}), as the judge trains and scores them.
 *
 * @param images [3, S, S] in [-1, 1], alpha composited on white
 * @param labels the class label of each image
 * @param captions the caption each label was read from (the first line of the caption file)
 * @param files the image files (for messages and provenance)
 */
public record LabeledImages(List<Tensor> images, List<String> labels, List<String> captions, List<Path> files) {
    public LabeledImages {
        images = List.copyOf(images);
        labels = List.copyOf(labels);
        captions = List.copyOf(captions);
        files = List.copyOf(files);
        if (images.size() != labels.size() || images.size() != captions.size() || images.size() != files.size()) {
            throw new IllegalArgumentException("images, labels, captions and files differ in count");
        }
    }

    /** Every image below {@code dir} at {@code size} px, labelled from its caption. */
    public static LabeledImages load(Path dir, int size, LabelRule rule, Consumer<String> warn) {
        return load(List.of(dir), size, rule, warn);
    }

    /** Every image below each of {@code dirs}, in that order, at {@code size} px, labelled from its caption. */
    public static LabeledImages load(List<Path> dirs, int size, LabelRule rule, Consumer<String> warn) {
        List<Sample> samples = new ArrayList<>();
        for (Path dir : dirs) {
            samples.addAll(ImageFolder.scan(dir));
        }
        LoadedImages loaded = ImageFolder.load(samples, size, warn);
        if (loaded.images().isEmpty()) {
            throw LdmException.badInput(String.join(", ", dirs.stream().map(Path::toString).toList())
                    + ": none of the images could be read");
        }
        List<String> labels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Sample s : loaded.samples()) {
            labels.add(rule.label(s.caption()));
            captions.add(s.caption());
            files.add(s.image());
        }
        return new LabeledImages(loaded.images(), labels, captions, files);
    }

    public int size() {
        return images.size();
    }

    /** The distinct labels, sorted: the class list of a classifier trained on these images. */
    public List<String> distinctLabels() {
        return List.copyOf(new TreeSet<>(labels));
    }

    /** Each image's index in {@code classes}, or −1 for a label not among them. */
    public int[] indices(List<String> classes) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        int[] out = new int[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = index.getOrDefault(labels.get(i), -1);
        }
        return out;
    }

    /** The images at these positions, in this order. */
    public LabeledImages subset(int[] positions) {
        List<Tensor> im = new ArrayList<>();
        List<String> lb = new ArrayList<>();
        List<String> cp = new ArrayList<>();
        List<Path> fl = new ArrayList<>();
        for (int p : positions) {
            im.add(images.get(p));
            lb.add(labels.get(p));
            cp.add(captions.get(p));
            fl.add(files.get(p));
        }
        return new LabeledImages(im, lb, cp, fl);
    }

    /**
     * A seeded split stratified by class: of each class with n ≥ 2 images, round(n·fraction) images
     * (at least one, at most n − 1) are held out; a class with one image stays in training.
     *
     * @return {train, heldOut}
     */
    public LabeledImages[] split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw LdmException.badInput("--holdout must be in (0, 1), not " + fraction);
        }
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byClass.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[labels.size()];
        byClass.forEach((label, members) -> {
            int n = members.size();
            int k = n < 2 ? 0 : (int) Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
            int[] perm = Rng.stream(seed, "holdout/" + label).permutation(n);
            for (int i = 0; i < k; i++) {
                held[members.get(perm[i])] = true;
            }
        });
        List<Integer> train = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            (held[i] ? out : train).add(i);
        }
        return new LabeledImages[] {subset(toArray(train)), subset(toArray(out))};
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
