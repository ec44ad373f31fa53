package dev.ldm.data.emoji;

import dev.ldm.image.Images;
import dev.ldm.image.SvgRenderer;
import dev.ldm.io.Tensor;
import dev.ldm.util.Parallel;
import dev.ldm.vae.VaeEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks ldm's SVG rendering against Google's own rasters ({@code ldm data emoji-check}): every Noto
 * emoji that both {@code @iconify-json/noto} and emoji-datasource-google draw, rendered from SVG at
 * the PNGs' 64 px and compared with the PNG, both composited on white, as PSNR. The two packages are
 * different releases of Noto, so the worst cases mix renderer faults with redrawn artwork; they are
 * listed so that a person can look.
 */
public final class EmojiRendererCheck {
    /** The size emoji-datasource-google's PNGs have. */
    public static final int SIZE = 64;

    /** One compared emoji. */
    public record Case(String key, String label, String icon, double psnr) {}

    /**
     * The comparison.
     *
     * @param compared emoji rendered and compared
     * @param refused icons the renderer refused or could not draw
     * @param meanPsnr mean PSNR in dB over the compared emoji
     * @param medianPsnr median PSNR in dB
     * @param quartiles the 25th and 75th percentiles of PSNR in dB
     * @param below30 emoji under 30 dB
     * @param worst the lowest PSNRs, worst first
     * @param seconds wall time
     */
    public record Result(int compared, int refused, double meanPsnr, double medianPsnr, double[] quartiles, int below30,
            List<Case> worst, double seconds) {}

    private EmojiRendererCheck() {}

    /** Compares the Noto icons and PNGs installed in {@code nodeModules}. */
    public static Result run(Path nodeModules, int worst, int threads, Consumer<String> log) {
        long start = System.nanoTime();
        EmojiLabels labels = EmojiLabels.read(nodeModules.resolve("emojibase-data"));
        Map<EmojiKey, EmojiImage> png = firstByKey(EmojiCatalog.join(EmojiStyle.NOTO, nodeModules, labels).images());
        Map<EmojiKey, EmojiImage> svg = firstByKey(IconifyCatalog.join(EmojiStyle.NOTO, nodeModules, labels,
                EmojiNames.read(nodeModules, labels)).images());
        svg.keySet().retainAll(png.keySet());
        List<EmojiImage> icons = new ArrayList<>(svg.values());
        log.accept("comparing " + icons.size() + " Noto emoji drawn in both packages at " + SIZE + " px");
        SvgRenderer renderer = SvgRenderer.withDefaults();
        List<Double> psnrs = Parallel.map(icons, icon -> psnr(icon, png.get(icon.key()), renderer, log), threads);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < icons.size(); i++) {
            if (psnrs.get(i) != null) {
                EmojiImage img = icons.get(i);
                cases.add(new Case(img.key().value(), img.label().label(), img.icon().name(), psnrs.get(i)));
            }
        }
        cases.sort(Comparator.comparingDouble(Case::psnr));
        double mean = cases.stream().mapToDouble(Case::psnr).average().orElse(Double.NaN);
        double median = percentile(cases, 0.5);
        double[] quartiles = {percentile(cases, 0.25), percentile(cases, 0.75)};
        int below30 = (int) cases.stream().filter(c -> c.psnr() < 30).count();
        return new Result(cases.size(), icons.size() - cases.size(), mean, median, quartiles, below30,
                List.copyOf(cases.subList(0, Math.min(worst, cases.size()))), (System.nanoTime() - start) / 1e9);
    }

    /** PSNR of the rendered icon against the PNG, both on white at {@link #SIZE}; null when not rendered. */
    static Double psnr(EmojiImage icon, EmojiImage png, SvgRenderer renderer, Consumer<String> log) {
        try {
            Tensor drawn = Images.toTensor(renderer.render(icon.icon().document(), SIZE), SIZE);
            Tensor reference = Images.toTensor(Images.read(png.source()), SIZE);
            return VaeEvaluation.psnr(reference.data(), drawn.data());
        } catch (SvgRenderer.Refused e) {
            log.accept("warning: noto icon '" + icon.icon().name() + "' not rendered: " + e.getMessage());
            return null;
        }
    }

    /** The PSNR at fraction {@code q} of the sorted cases (nearest rank). */
    private static double percentile(List<Case> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size()))).psnr();
    }

    /** The first image of each key, in the join's order (its best-founded one). */
    private static Map<EmojiKey, EmojiImage> firstByKey(List<EmojiImage> images) {
        Map<EmojiKey, EmojiImage> out = new LinkedHashMap<>();
        images.forEach(i -> out.putIfAbsent(i.key(), i));
        return out;
    }
}
