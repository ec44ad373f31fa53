package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Joins one Iconify vector set to emojibase labels (DATA.md). An icon named in the set's
 * {@code chars.json} (its own, or for Fluent Color the flat set's, which shares its names) gets the
 * code points listed there; every other icon and every alias is joined through {@link EmojiNames}.
 * Nothing is filtered: every joined name is returned, sorted by key and then by how it was joined
 * (chars.json first, then an icon's name, then an alias), so that a filter keeping the first image of
 * each key keeps the best-founded one.
 */
public final class IconifyCatalog {
    public static final String VIA_CHARS = "joined through chars.json";
    public static final String VIA_NAME = "joined through names";

    private IconifyCatalog() {}

    /** One joined name and how well it was founded (lower is better). */
    private record Candidate(EmojiImage image, int rank) {}

    /** Joins the vector icons of {@code style} installed in {@code nodeModules}. */
    public static EmojiCatalog.Join join(EmojiStyle style, Path nodeModules, EmojiLabels labels, EmojiNames names) {
        if (style.svg() == null) {
            throw LdmException.badInput("style '" + style.word() + "' has no vector artwork (use --source png)");
        }
        Path iconsJson = nodeModules.resolve(style.svg().packageName()).resolve("icons.json");
        if (!Files.isRegularFile(iconsJson)) {
            throw LdmException.badInput(iconsJson + ": icons of " + style.svg().packageName() + " not found");
        }
        IconifySet set = IconifySet.read(iconsJson);
        Map<String, List<EmojiKey>> chars = charsByName(style, nodeModules);
        List<Candidate> found = new ArrayList<>();
        List<String> unlabelled = new ArrayList<>();
        Map<String, Integer> notes = new LinkedHashMap<>(set.skipped());
        for (IconifyIcon icon : set.icons()) {
            boolean viaChars = !icon.alias() && chars.containsKey(icon.name());
            List<EmojiKey> keys = viaChars ? chars.get(icon.name()) : names.lookup(icon.name()).stream().toList();
            int rank = viaChars ? 0 : icon.alias() ? 2 : 1;
            int before = found.size();
            for (EmojiKey key : keys) {
                Optional<EmojiLabels.Entry> label = labels.get(key);
                label.ifPresent(l -> found.add(new Candidate(new EmojiImage(style, key, iconsJson, l, icon), rank)));
            }
            if (found.size() == before) {
                unlabelled.add(icon.name());
            } else {
                notes.merge(viaChars ? VIA_CHARS : VIA_NAME, found.size() - before, Integer::sum);
            }
        }
        found.sort(Comparator.comparing((Candidate c) -> c.image().key()).thenComparingInt(Candidate::rank)
                .thenComparing(c -> c.image().icon().name()));
        return new EmojiCatalog.Join(found.stream().map(Candidate::image).toList(), unlabelled, List.of(), notes);
    }

    /** The style's chars.json inverted: icon name to the keys it draws (one icon may draw several). */
    private static Map<String, List<EmojiKey>> charsByName(EmojiStyle style, Path nodeModules) {
        Map<String, List<EmojiKey>> out = new TreeMap<>();
        if (style.svg().charsPackage() != null) {
            EmojiNames.charsJson(nodeModules.resolve(style.svg().charsPackage()).resolve("chars.json"))
                    .forEach((key, name) -> out.computeIfAbsent(name, n -> new ArrayList<>()).add(key));
        }
        return out;
    }
}
