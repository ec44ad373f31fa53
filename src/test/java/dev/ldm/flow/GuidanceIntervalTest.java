package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Json;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

class GuidanceIntervalTest {
    record Holder(GuidanceInterval g) {}

    @Test
    void textRoundTripsExactlyForAnyValidPair() {
        Rng rng = new Rng(7);
        for (int i = 0; i < 10_000; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble();
            if (a == b) {
                continue;
            }
            GuidanceInterval g = new GuidanceInterval(Math.min(a, b), Math.max(a, b));
            assertEquals(g, GuidanceInterval.parse(g.toString()));
        }
        assertEquals("0,1", GuidanceInterval.ALWAYS.toString());
        assertEquals(new GuidanceInterval(0.2, 0.85), GuidanceInterval.parse(" 0.2 , 0.85 "));
        assertEquals(GuidanceInterval.ALWAYS, GuidanceInterval.parse("0,1"));
    }

    @Test
    void bothEndsAreInside() {
        GuidanceInterval g = new GuidanceInterval(0.25, 0.75);
        assertTrue(g.contains(0.25));
        assertTrue(g.contains(0.75));
        assertFalse(g.contains(Math.nextDown(0.25)));
        assertFalse(g.contains(Math.nextUp(0.75)));
        assertTrue(GuidanceInterval.ALWAYS.contains(0) && GuidanceInterval.ALWAYS.contains(1));
    }

    @Test
    void anythingElseIsOneLineOfBadInput() {
        for (String bad : new String[] {"", "0.5", "0.2,0.8,0.9", "a,b", "0.8,0.2", "0.5,0.5", "-0.1,0.5", "0.5,1.5",
                "NaN,1", "0,Infinity", ",", "0.2;0.8"}) {
            LdmException e = assertThrows(LdmException.class, () -> GuidanceInterval.parse(bad), bad);
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().startsWith("--cfg-interval must be FROM,TO"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void jsonHoldsTheTextAndLeavesOutTheWholeInterval() {
        assertEquals("{\"g\":\"0.2,0.85\"}", Json.compact(new Holder(new GuidanceInterval(0.2, 0.85))));
        assertEquals("{}", Json.compact(new Holder(GuidanceInterval.ALWAYS)));
        assertEquals(new Holder(new GuidanceInterval(0.2, 0.85)),
                Json.parse("{\"g\":\"0.2,0.85\"}", Holder.class, "test"));
        assertEquals(new Holder(null), Json.parse("{}", Holder.class, "test"));
    }
}
