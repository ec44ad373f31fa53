package dev.ldm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.judge.LabelRule;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void rankCountsStrictlyHigherScoresSoTiesFavourTheTrueClass() {
        float[] s = {0.1f, 0.9f, 0.5f, 0.5f, 0.2f, 0.3f, 0.4f};
        assertEquals(0, TopK.rank(s, 1));
        assertEquals(1, TopK.rank(s, 2));
        assertEquals(1, TopK.rank(s, 3));
        assertEquals(6, TopK.rank(s, 0));
        assertThrows(IllegalArgumentException.class, () -> TopK.rank(s, 7));
    }

    @Test
    void top1AndTop5FractionsWithUnknownLabelsSkipped() {
        float[][] scores = {
            {9, 1, 2, 3, 4, 5, 6}, // label 0: rank 0
            {9, 8, 7, 6, 5, 4, 3}, // label 4: rank 4 → top-5 only
            {9, 8, 7, 6, 5, 4, 3}, // label 6: rank 6 → miss
            {1, 2, 3, 4, 5, 6, 7}, // unknown label
        };
        Accuracy a = TopK.score(scores, new int[] {0, 4, 6, -1});
        assertEquals(new Accuracy(3, 1, 2, 1), a);
        assertEquals(1 / 3.0, a.top1(), 1e-12);
        assertEquals(2 / 3.0, a.top5(), 1e-12);
        assertEquals(new Accuracy.Figures(3, 1, 1 / 3.0, 2 / 3.0), a.figures());
        assertTrue(Double.isNaN(Accuracy.NONE.top1()));
    }

    @Test
    void labelRulesFoldCaseAndDropTheStyleSuffixForConcepts() {
        assertEquals("a red circle", LabelRule.CAPTION.label("  A  Red circle "));
        assertEquals("fox", LabelRule.CONCEPT.label("fox, twemoji style"));
        assertEquals("keycap: #", LabelRule.CONCEPT.label("keycap: #, noto style"));
        assertEquals("flag: congo - kinshasa", LabelRule.CONCEPT.label("flag: Congo - Kinshasa, fluent style"));
        assertEquals("woman, hairstyle", LabelRule.CONCEPT.label("woman, hairstyle"));
        assertEquals("red heart", LabelRule.CONCEPT.label("red heart"));
        assertEquals(LabelRule.CONCEPT, LabelRule.parse("Concept"));
        assertEquals(2, assertThrows(LdmException.class, () -> LabelRule.parse("style")).exitCode());
    }
}
