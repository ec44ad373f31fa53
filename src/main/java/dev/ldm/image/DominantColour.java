package dev.ldm.image;

import dev.ldm.io.Tensor;
import java.awt.image.BufferedImage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The colour word for an image on a white background: the most common of ten named colours among
 * its non-background pixels, when it covers at least {@value #MIN_SHARE} of them. Hue buckets
 * follow the usual English names (red below 15° and from 345°, orange to 40°, yellow to 70°, green
 * to 165°, blue to 255°, purple to 290°, pink to 345°); dark orange and red are brown, dark pixels
 * black, unsaturated ones grey. Used to give captions such as {@code an orange fox}, so that a model
 * learns a colour word as a modifier of the thing drawn, to check that an image shows the colour its
 * prompt asked for, and to tell whether a cascade's draft already shows it.
 */
public final class DominantColour {
    /** Colour words this class can return; a label holding one of them (or "white") gets no colour. */
    public static final Set<String> WORDS = Set.of("red", "orange", "yellow", "green", "blue", "purple", "pink",
            "brown", "black", "grey", "gray", "white");
    /** The seven hue words, in the order of the colour wheel: the colours recoloured copies are captioned with. */
    public static final List<String> HUES = List.of("red", "orange", "yellow", "green", "blue", "purple", "pink");
    static final double MIN_SHARE = 0.4;
    /** A pixel whose channels are all above this (in [0, 1]) is background. */
    static final double BACKGROUND = 0.9;

    private DominantColour() {}

    /**
     * The dominant colour word of an image.
     *
     * @param chw [3, H, W] RGB in [-1, 1], composited on white
     */
    public static Optional<String> of(Tensor chw) {
        int plane = (int) (chw.shape()[1] * chw.shape()[2]);
        float[] d = chw.data();
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        int foreground = 0;
        for (int i = 0; i < plane; i++) {
            double r = (d[i] + 1) / 2;
            double g = (d[plane + i] + 1) / 2;
            double b = (d[2 * plane + i] + 1) / 2;
            if (Math.min(r, Math.min(g, b)) > BACKGROUND) {
                continue;
            }
            foreground++;
            counts.merge(name(r, g, b), 1, Integer::sum);
        }
        if (foreground < plane / 20) {
            return Optional.empty();
        }
        var best = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow();
        return best.getValue() >= MIN_SHARE * foreground ? Optional.of(best.getKey()) : Optional.empty();
    }

    /** The dominant colour word of an image as drawn (its own size, on white). */
    public static Optional<String> of(BufferedImage img) {
        return of(Images.toTensor(img, Math.min(img.getWidth(), img.getHeight())));
    }

    /** The words of {@link #HUES} that {@code text} names, in the order it names them ("a red and blue ball": red, blue). */
    public static Set<String> hues(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (HUES.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** The colour word of one pixel (channels in [0, 1]). */
    static String name(double r, double g, double b) {
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double s = max == 0 ? 0 : (max - min) / max;
        if (max < 0.22) {
            return "black";
        }
        if (s < 0.25) {
            return "grey";
        }
        double h;
        double c = max - min;
        if (max == r) {
            h = 60 * (((g - b) / c) % 6);
        } else if (max == g) {
            h = 60 * ((b - r) / c + 2);
        } else {
            h = 60 * ((r - g) / c + 4);
        }
        h = (h + 360) % 360;
        if ((h < 40 || h >= 345) && max < 0.55) {
            return "brown";
        }
        if (h < 15 || h >= 345) {
            return "red";
        }
        if (h < 40) {
            return "orange";
        }
        if (h < 70) {
            return "yellow";
        }
        if (h < 165) {
            return "green";
        }
        if (h < 255) {
            return "blue";
        }
        return h < 290 ? "purple" : "pink";
    }

    /** Whether {@code label} already names a colour ("red heart", "black cat"). */
    public static boolean named(String label) {
        for (String w : label.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (WORDS.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
