package dev.ldm.data.emoji;

import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Repairs the Fluent 3D set's swapped medium-light (1F3FC) and medium (1F3FD) skin tones: in most
 * families (DATA.md: 286 of 297) the file named medium-light is darker than the one named medium.
 * Rather than swapping every family blindly, each pair is measured: both drawings are identical
 * apart from the skin, so the one with the lower mean luminance (over white) is the darker tone.
 * When the file named medium-light is the darker one, the two files are exchanged. Only used when
 * skin-tone variants are kept.
 */
public final class FluentSkinTones {
    public static final String MEDIUM_LIGHT = "1F3FC";
    public static final String MEDIUM = "1F3FD";
    /** Resolution at which luminance is compared: plenty to see a skin colour, cheap to compute. */
    static final int MEASURE_SIZE = 32;

    /**
     * @param images the images, with medium-light and medium files exchanged where they were swapped
     * @param pairs how many medium-light / medium pairs were measured
     * @param swapped how many of those pairs were exchanged
     */
    public record Result(List<EmojiImage> images, int pairs, int swapped) {
        public Result {
            images = List.copyOf(images);
        }
    }

    private FluentSkinTones() {}

    /** Measures with the mean luminance of each file's image composited on white. */
    public static Result repair(List<EmojiImage> fluent) {
        return repair(fluent, FluentSkinTones::meanLuminance);
    }

    /**
     * @param luminance mean luminance of an image file (a parameter so tests can measure cheaply)
     */
    static Result repair(List<EmojiImage> fluent, ToDoubleFunction<Path> luminance) {
        Map<EmojiKey, EmojiImage> byKey = new HashMap<>();
        for (EmojiImage img : fluent) {
            byKey.put(img.key(), img);
        }
        Map<EmojiKey, Path> newSource = new HashMap<>();
        int pairs = 0;
        for (EmojiImage light : fluent) {
            if (!onlyTone(light.key(), MEDIUM_LIGHT)) {
                continue; // no tone, another tone, or a mixed-tone sequence (two people)
            }
            EmojiImage medium = byKey.get(light.key().replaceTone(MEDIUM_LIGHT, MEDIUM));
            if (medium == null) {
                continue;
            }
            pairs++;
            if (luminance.applyAsDouble(light.source()) < luminance.applyAsDouble(medium.source())) {
                newSource.put(light.key(), medium.source());
                newSource.put(medium.key(), light.source());
            }
        }
        List<EmojiImage> out = new ArrayList<>(fluent.size());
        for (EmojiImage img : fluent) {
            Path p = newSource.get(img.key());
            out.add(p == null ? img : img.withSource(p));
        }
        return new Result(out, pairs, newSource.size() / 2);
    }

    /** True when the key has skin tones and all of them are {@code tone}. */
    static boolean onlyTone(EmojiKey key, String tone) {
        List<String> tones = key.codePoints().stream().filter(EmojiKey.SKIN_TONES::contains).toList();
        return !tones.isEmpty() && tones.stream().allMatch(tone::equals);
    }

    /** Mean Rec. 709 luminance in [-1, 1] of an image file composited on white. */
    static double meanLuminance(Path file) {
        Tensor t = Images.toTensor(Images.read(file), MEASURE_SIZE); // [3, S, S]
        float[] d = t.data();
        int n = MEASURE_SIZE * MEASURE_SIZE;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 0.2126 * d[i] + 0.7152 * d[n + i] + 0.0722 * d[2 * n + i];
        }
        return sum / n;
    }
}
