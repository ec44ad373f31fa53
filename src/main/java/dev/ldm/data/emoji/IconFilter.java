package dev.ldm.data.emoji;

import dev.ldm.image.SvgGuard;
import dev.ldm.util.Parallel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Removes the vector icons ldm must not or need not render: those {@link SvgGuard} refuses (each
 * reported in one warning line; the artwork is untrusted input), and, where several names of a set
 * join to one emoji (an icon and its alias, Streamline's numbered drawings), all but the first in
 * {@link IconifyCatalog}'s order. The guard runs before the de-duplication, so a refused icon leaves
 * room for another drawing of its emoji. Checks run on {@code threads} threads; the result does not
 * depend on their number.
 */
public final class IconFilter {
    public static final String RULE_REFUSED = "refused: unsafe or malformed SVG";
    public static final String RULE_DUPLICATE = "another name of an emoji already drawn in this set";

    private IconFilter() {}

    /** Applies the rules to one style's joined icons (sorted as {@link IconifyCatalog#join} returns them). */
    public static FluentDefects.Result apply(List<EmojiImage> icons, int threads, Consumer<String> log) {
        List<Optional<String>> verdicts = Parallel.map(icons,
                img -> SvgGuard.check(img.icon().document(), SvgGuard.Limits.DEFAULT), threads);
        Map<String, Integer> dropped = new LinkedHashMap<>();
        dropped.put(RULE_REFUSED, 0);
        dropped.put(RULE_DUPLICATE, 0);
        List<EmojiImage> kept = new ArrayList<>();
        Set<EmojiKey> seen = new HashSet<>();
        for (int i = 0; i < icons.size(); i++) {
            EmojiImage img = icons.get(i);
            if (verdicts.get(i).isPresent()) {
                log.accept("warning: " + img.style().word() + " icon '" + img.icon().name() + "' (" + img.key()
                        + ") refused: " + verdicts.get(i).get());
                dropped.merge(RULE_REFUSED, 1, Integer::sum);
            } else if (!seen.add(img.key())) {
                dropped.merge(RULE_DUPLICATE, 1, Integer::sum);
            } else {
                kept.add(img);
            }
        }
        return new FluentDefects.Result(kept, dropped);
    }
}
