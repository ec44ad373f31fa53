package dev.ldm.flow;

import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.ldm.LdmException;
import java.io.IOException;

/**
 * Where along the flow classifier-free guidance applies: at times t with from ≤ t ≤ to (t = 1 is
 * noise, t = 0 the image); elsewhere the network runs on the prompt alone (g = 1), at half the
 * cost. Guidance at high noise fixes the layout early and narrows the spread of the images;
 * leaving it out there keeps the spread while guidance in the middle still sharpens what the
 * prompt asks for (Kynkäänniemi et al. 2024, "Applying guidance in a limited interval improves
 * sample and distribution quality in diffusion models"). {@link #ALWAYS} is plain guidance.
 *
 * @param from lowest t that is guided, 0 ≤ from &lt; to
 * @param to highest t that is guided, to ≤ 1
 */
@JsonAdapter(GuidanceInterval.AsText.class)
public record GuidanceInterval(double from, double to) implements java.io.Serializable {
    /** Guidance at every t: plain classifier-free guidance. */
    public static final GuidanceInterval ALWAYS = new GuidanceInterval(0, 1);

    /**
     * @throws LdmException bad input unless 0 ≤ from &lt; to ≤ 1
     */
    public GuidanceInterval {
        if (!(from >= 0 && from < to && to <= 1)) {
            throw LdmException.badInput("--cfg-interval must be FROM,TO with 0 <= FROM < TO <= 1, not "
                    + format(from) + "," + format(to));
        }
    }

    /**
     * "FROM,TO" as a user types it, for example "0.2,0.8".
     *
     * @throws LdmException bad input for anything else
     */
    public static GuidanceInterval parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        try {
            if (parts.length == 2) {
                return new GuidanceInterval(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // the same message as a wrong count
        }
        throw LdmException.badInput("--cfg-interval must be FROM,TO (two numbers, for example 0.2,0.8), not '"
                + text + "'");
    }

    /** True when guidance applies at time t. */
    public boolean contains(double t) {
        return t >= from && t <= to;
    }

    public boolean always() {
        return from == 0 && to == 1;
    }

    /** "FROM,TO", which {@link #parse} reads back to an equal interval. */
    @Override
    public String toString() {
        return format(from) + "," + format(to);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /**
     * JSON: the text "FROM,TO"; {@link #ALWAYS} is written as null, so a field holding it is left out
     * and JSON written before intervals existed is unchanged.
     */
    static final class AsText extends TypeAdapter<GuidanceInterval> {
        @Override
        public void write(JsonWriter out, GuidanceInterval v) throws IOException {
            if (v == null || v.always()) {
                out.nullValue();
            } else {
                out.value(v.toString());
            }
        }

        @Override
        public GuidanceInterval read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return parse(in.nextString());
        }
    }
}
