package dev.ldm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.flow.GuidanceInterval;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.io.Json;
import org.junit.jupiter.api.Test;

class EvalSettingsTest {
    private static EvalSettings settings(String colour) {
        return new EvalSettings(2, 30, 2.0, "euler", 1.0, GuidanceInterval.ALWAYS, 128, 0, 0.9, 2, colour);
    }

    @Test
    void theDraftColourReachesEveryRequestAndTheReport() {
        EvalSettings free = settings("free");
        GenerateRequest r = free.request("a blue fox", 3);
        assertEquals(GenerateRequest.FREE_COLOUR, r.draftColour());
        assertEquals(2, r.draftAnchor());
        assertEquals(6, r.seed(), "prompt 3 of k = 2 starts at seed 6");
        assertTrue(Json.compact(free).contains("\"draftColour\":\"free\""), Json.compact(free));
        // kept is the default: the same requests and report as no colour given at all
        assertNull(settings("kept").draftColour());
        assertEquals(settings(null), settings("kept"));
        assertNull(settings(null).request("a fox", 0).draftColour());
    }

    @Test
    void theModelsDraftColourIsTakenWhenNoneIsGivenAndThereIsAnAnchor() {
        var d = new dev.ldm.folder.ModelManifest.Defaults(128, 30, 2.0, "euler", 1.0, null, 0.65, 2, "auto");
        EvalSettings byDefault = new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, null);
        assertEquals(GenerateRequest.AUTO_COLOUR, byDefault.request("a blue fox", 0).draftColour());
        assertNull(new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, null, "kept").draftColour());
        EvalSettings noAnchor = new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, 0);
        assertNull(noAnchor.draftAnchor());
        assertNull(noAnchor.draftColour(), "no anchor, nothing to free: the model's auto does not apply");
        assertNull(new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, null, null).draftColour(),
                "no draft");
    }

    @Test
    void tagGuidanceAsGivenOrTheModelsReachesEveryRequestAndTheReport() {
        var d = new dev.ldm.folder.ModelManifest.Defaults(128, 30, 2.0, "euler", 1.0, null, 0.65, 2, "auto", 2.0);
        EvalSettings byDefault = new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, null, null, null);
        assertEquals(2.0, byDefault.request("fox, noto style", 0).tagGuidance());
        assertEquals("fox", byDefault.request("fox, noto style", 0).guidedTag());
        assertTrue(Json.compact(byDefault).contains("\"tagGuidance\":2.0"), Json.compact(byDefault));
        EvalSettings given = new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, null, null, 3.0);
        assertEquals(3.0, given.request("fox, noto style", 1).tagGuidance());
        EvalSettings off = new EvalSettings(2, 30, 2.0, "euler", 1.0, null, 128, 0, d, 0.65, null, null, 0.0);
        assertNull(off.tagGuidance());
        assertNull(off.request("fox, noto style", 0).tagGuidance());
        assertNull(settings(null).tagGuidance(), "a model without it has none");
    }
}
