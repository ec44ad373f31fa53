package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.request.RequestField;
import dev.ldm.request.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every row of the request-field table means the same in each syntax that reads it: a prompt line's
 * {@code --name value}, a JSON Lines key, and {@link RequestOptions#with}.
 */
class RequestFieldTest {
    private static String sample(RequestField f) {
        return switch (f.kind()) {
            case TEXT -> f == RequestField.SAMPLER ? "heun" : f == RequestField.CFG_INTERVAL ? "0.2,0.85" : "x.png";
            case INTEGER -> "7";
            case WHOLE -> "9000000000";
            case NUMBER -> "0.25";
        };
    }

    @Test
    void aPromptLineAJsonLineAndWithAgreeOnEveryField() {
        for (RequestField f : RequestField.values()) {
            if (f == RequestField.PROMPT) {
                continue;
            }
            String v = sample(f);
            RequestOptions want = RequestOptions.NONE.withPrompt("a fox").with(f.option(), v);
            String quoted = f.kind() == RequestField.Kind.TEXT ? "\"" + v + "\"" : v;
            List<PromptLine> lines = PromptFile.parse("a fox --" + f.option() + " " + v + "\n"
                    + "{\"prompt\": \"a fox\", \"" + f.option() + "\": " + quoted + "}\n", "p.txt", false, null);
            assertEquals(want, lines.get(0).options(), f + " as a prompt-line option");
            assertEquals(want, lines.get(1).options(), f + " as a JSON key");
            if (f.jsonAlias() != null) {
                List<PromptLine> alias = PromptFile.parse("{\"prompt\": \"a fox\", \"" + f.jsonAlias() + "\": "
                        + quoted + "}\n", "p.jsonl", true, null);
                assertEquals(want, alias.get(0).options(), f + " under its JSON alias");
            }
        }
    }
}
