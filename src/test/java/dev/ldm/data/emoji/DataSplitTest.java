package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.data.emoji.DataSplit.Part;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataSplitTest {
    /** 4,000 synthetic concepts, more than the real set, so rates are measured to about ±0.4%. */
    private static List<EmojiKey> keys() {
        List<EmojiKey> out = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            out.add(new EmojiKey(String.format("%05X", 0x10000 + i)));
        }
        return out;
    }

    @Test
    void theSplitIsAFunctionOfTheKeyAlone() {
        List<EmojiKey> keys = keys();
        List<Part> first = new ArrayList<>();
        for (EmojiKey k : keys) {
            first.add(DataSplit.of(EmojiStyle.TWEMOJI, k));
        }
        List<EmojiKey> reversed = new ArrayList<>(keys);
        java.util.Collections.reverse(reversed);
        for (EmojiKey k : reversed.subList(0, 1000)) {
            DataSplit.of(EmojiStyle.NOTO, k); // other calls in between change nothing
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(first.get(i), DataSplit.of(EmojiStyle.TWEMOJI, keys.get(i)));
        }
    }

    @Test
    void pinnedAssignmentsDoNotMoveAcrossVersionsOfLdm() {
        // Regression guard: changing the hash, salt or rates re-draws the split and must be deliberate.
        assertEquals(0.157219, DataSplit.fraction("concept/1F98A"), 1e-6);
        assertEquals(0.039443, DataSplit.fraction("twemoji/1F98A"), 1e-6);
        assertEquals(Part.HELDOUT_STYLE, DataSplit.of(EmojiStyle.FLUENT, new EmojiKey("1F333"))); // tree
        assertEquals(Part.TRAIN, DataSplit.of(EmojiStyle.NOTO, new EmojiKey("1F333")));
        assertEquals(Part.HELDOUT_CONCEPT, DataSplit.of(EmojiStyle.FLUENT, new EmojiKey("0031-20E3")));
        assertEquals(Part.HELDOUT_STYLE, DataSplit.of(EmojiStyle.NOTO, new EmojiKey("0034-20E3")));
    }

    @Test
    void showcaseConceptsAreAlwaysTrained() {
        // the fox's hash would hold it out in Twemoji
        assertTrue(DataSplit.fraction("twemoji/1F98A") < DataSplit.STYLE_RATE);
        for (EmojiKey k : DataSplit.SHOWCASE) {
            for (EmojiStyle s : EmojiStyle.values()) {
                assertEquals(Part.TRAIN, DataSplit.of(s, k), k + " " + s);
                assertEquals(Part.TRAIN, DataSplit.of(s, new EmojiKey(k.value() + "-1F3FB")), k + " toned");
            }
        }
    }

    @Test
    void heldOutConceptsAreHeldOutInEveryStyleAndTones() {
        int held = 0;
        for (EmojiKey k : keys()) {
            boolean whole = DataSplit.heldOutConcept(k);
            held += whole ? 1 : 0;
            EmojiKey toned = new EmojiKey(k.value() + "-1F3FD");
            for (EmojiStyle s : EmojiStyle.values()) {
                Part p = DataSplit.of(s, k);
                assertEquals(whole, p == Part.HELDOUT_CONCEPT, k + " " + s);
                assertEquals(p, DataSplit.of(s, toned), "a skin tone follows its concept");
            }
        }
        assertEquals(DataSplit.CONCEPT_RATE, held / 4000.0, 0.01);
    }

    @Test
    void everyStyleHoldsOutAtLeastFivePercentAndTheStylesDiffer() {
        List<Set<EmojiKey>> perStyle = new ArrayList<>();
        for (EmojiStyle s : EmojiStyle.values()) {
            Set<EmojiKey> held = new HashSet<>();
            for (EmojiKey k : keys()) {
                if (DataSplit.of(s, k) == Part.HELDOUT_STYLE) {
                    held.add(k);
                }
            }
            double rate = held.size() / 4000.0;
            assertTrue(rate >= 0.05, s + " holds out " + rate);
            assertEquals(DataSplit.STYLE_RATE * (1 - DataSplit.CONCEPT_RATE), rate, 0.015);
            perStyle.add(held);
        }
        Set<EmojiKey> both = new HashSet<>(perStyle.get(0));
        both.retainAll(perStyle.get(1));
        // independent hashes: the overlap is about rate^2 (20 of 4,000), far from the 270 of one style
        assertTrue(both.size() < 60, "styles hold out nearly the same concepts: " + both.size());
    }

    @Test
    void fractionsAreUniformInTheUnitInterval() {
        int[] bins = new int[10];
        for (int i = 0; i < 10_000; i++) {
            double u = DataSplit.fraction("u/" + i);
            assertTrue(u >= 0 && u < 1);
            bins[(int) (u * 10)]++;
        }
        for (int b : bins) {
            assertEquals(1000, b, 120); // about 4 standard deviations
        }
    }
}
