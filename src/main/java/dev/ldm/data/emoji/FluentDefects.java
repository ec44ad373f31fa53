package dev.ldm.data.emoji;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes the Fluent 3D files ldm must not or need not train on (DATA.md).
 *
 * <p>Not open-sourced by Microsoft (its fluentui-emoji repository and announcement: "we can't
 * open-source trademarks ... our country flags, video game, and technologist emoji"), although the
 * npm package carries them: every emojibase {@code country-flag} and {@code subdivision-flag} (the
 * other flags, such as chequered or pirate flag, are in Microsoft's repository and stay); every emoji
 * whose label names a technologist (a laptop with the Windows logo), in every skin tone; paperclip
 * (drawn as Clippy) and video game (a branded controller). Rules by category and name rather than a
 * file list, so a new package version with more flags or tones is still filtered.
 *
 * <p>Duplicates: 16 emoji are present twice under two spellings of one key ({@code 23-fe0f-20e3}
 * and {@code 0023-fe0f-20e3}); the first file name in sorted order is kept.
 */
public final class FluentDefects {
    /** emojibase subgroups whose Fluent drawings Microsoft did not open-source. */
    public static final Set<String> CLOSED_SUBGROUPS = Set.of("country-flag", "subdivision-flag");
    /** Concepts drawn with a trademark: paperclip (Clippy) and video game (a console controller). */
    public static final Set<EmojiKey> CLOSED_CONCEPTS = Set.of(new EmojiKey("1F4CE"), new EmojiKey("1F3AE"));
    /** Labels of technologist emoji (person, man, woman, with any skin tone), drawn with a Windows logo. */
    static final Pattern CLOSED_LABEL = Pattern.compile("\\btechnologist\\b");

    public static final String RULE_FLAG = "not open-sourced: country and subdivision flags";
    public static final String RULE_TRADEMARK = "not open-sourced: technologist, paperclip (Clippy), video game";
    public static final String RULE_DUPLICATE = "duplicate file for the same emoji";

    /**
     * @param kept the files to train on, in input order
     * @param dropped how many files each rule removed, by rule, in rule order
     */
    public record Result(List<EmojiImage> kept, Map<String, Integer> dropped) {
        public Result {
            kept = List.copyOf(kept);
            dropped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        }
    }

    private FluentDefects() {}

    /**
     * Applies the rules above to Fluent images sorted by key then file name (as
     * {@link EmojiCatalog#join} returns them).
     */
    public static Result apply(List<EmojiImage> fluent) {
        Map<String, Integer> dropped = new LinkedHashMap<>();
        dropped.put(RULE_FLAG, 0);
        dropped.put(RULE_TRADEMARK, 0);
        dropped.put(RULE_DUPLICATE, 0);
        List<EmojiImage> kept = new ArrayList<>();
        Set<EmojiKey> seen = new HashSet<>();
        for (EmojiImage img : fluent) {
            String rule = rule(img);
            if (rule == null && !seen.add(img.key())) {
                rule = RULE_DUPLICATE;
            }
            if (rule == null) {
                kept.add(img);
            } else {
                dropped.merge(rule, 1, Integer::sum);
            }
        }
        return new Result(kept, dropped);
    }

    /** The not-open-sourced rule an image falls under, or null. */
    static String rule(EmojiImage img) {
        if (CLOSED_SUBGROUPS.contains(img.label().subgroup())) {
            return RULE_FLAG;
        }
        if (CLOSED_CONCEPTS.contains(img.key().concept()) || CLOSED_LABEL.matcher(img.label().label()).find()) {
            return RULE_TRADEMARK;
        }
        return null;
    }
}
