package dev.ldm.flow;

import dev.ldm.LdmException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The samplers by name: the one table of what the command line, prompt files, the settings stored
 * in PNGs and AUTOMATIC1111's sampler labels call them.
 */
public final class Samplers {
    /**
     * One sampler.
     *
     * @param name ldm's name ({@code --sampler})
     * @param a1111Label the label written into a PNG's {@code parameters} chunk
     * @param a1111Aliases AUTOMATIC1111 labels (lower case) that mean this sampler when read
     * @param make a new sampler
     */
    public record Entry(String name, String a1111Label, List<String> a1111Aliases, Supplier<Sampler> make) {}

    /** Every sampler. "Euler a" maps to euler: ancestral noise is not reproduced. */
    public static final List<Entry> TABLE = List.of(
            new Entry("euler", "Euler", List.of("euler", "euler a", "euler_a", "euler ancestral", "k_euler",
                    "k_euler_a"), EulerSampler::new),
            new Entry("heun", "Heun", List.of("heun", "k_heun"), HeunSampler::new),
            new Entry("sde", "SDE", List.of("sde"), SdeSampler::new));

    private Samplers() {}

    /**
     * {@code euler}, {@code heun}, {@code sde} (noise level 1) or {@code sde:NOISE} (for example
     * {@code sde:0.5}); case and surrounding spaces are ignored.
     *
     * @throws LdmException bad input for any other name
     */
    public static Sampler byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Entry e : TABLE) {
            if (e.name().equals(n)) {
                return e.make().get();
            }
        }
        if (n.startsWith("sde:")) {
            double noise;
            try {
                noise = Double.parseDouble(n.substring(4).trim());
            } catch (NumberFormatException e) {
                throw LdmException.badInput("sampler '" + name + "': the noise level after 'sde:' must be a number");
            }
            return new SdeSampler(noise);
        }
        throw LdmException.badInput("sampler '" + name + "': unknown; choose one of "
                + String.join(", ", TABLE.stream().map(Entry::name).toList()) + ", sde:NOISE");
    }

    /** The label of ldm's sampler {@code name} in an AUTOMATIC1111 {@code parameters} chunk. */
    public static String a1111Label(String name) {
        return TABLE.stream().filter(e -> e.name().equals(name)).map(Entry::a1111Label).findFirst().orElse(name);
    }

    /** ldm's sampler for an AUTOMATIC1111 sampler label, or null when there is none. */
    public static String fromA1111(String label) {
        String s = label.strip().toLowerCase(Locale.ROOT);
        for (Entry e : TABLE) {
            if (e.a1111Aliases().contains(s)) {
                return e.name();
            }
        }
        try {
            byName(s); // sde:NOISE as ldm writes it
            return s;
        } catch (LdmException e) {
            return null;
        }
    }

    /**
     * How a sampler name from another tool maps to one of ldm's.
     *
     * @param name the name as given
     * @param sampler ldm's sampler ({@code --sampler})
     * @param how why this one, for people
     */
    public record Choice(String name, String sampler, String how) {}

    /** The sampler names AUTOMATIC1111 lists, answered one by one by {@code GET /sdapi/v1/samplers}. */
    public static final List<String> A1111_NAMES = List.of("Euler a", "Euler", "LMS", "Heun", "DPM2", "DPM2 a",
            "DPM++ 2S a", "DPM++ 2M", "DPM++ SDE", "DPM++ 2M SDE", "DPM++ 2M SDE Heun", "DPM++ 3M SDE", "DPM fast",
            "DPM adaptive", "Restart", "DDIM", "PLMS", "UniPC", "LCM");

    /**
     * The nearest of ldm's samplers to any name: ldm's own names and the labels of {@link #TABLE} as
     * they are; then by kind: stochastic (SDE) samplers to {@code sde}, second-order and multistep
     * solvers (Heun, DPM2, DPM++ 2S/2M/3M) to {@code heun}, every other (first-order or unknown) to
     * {@code euler}. Ancestral variants ("a") map to their deterministic base, as "Euler a" does:
     * ldm does not reproduce ancestral noise.
     */
    public static Choice nearest(String label) {
        String s = label.strip().toLowerCase(Locale.ROOT);
        try {
            byName(s);
            return new Choice(label, s, "ldm's own sampler");
        } catch (LdmException e) {
            // not one of ldm's names: map it
        }
        String known = fromA1111(s);
        if (known != null) {
            return new Choice(label, known, "AUTOMATIC1111's name for ldm's " + known
                    + (s.contains(" a") || s.endsWith("_a") || s.contains("ancestral") ? " (ancestral noise is not reproduced)" : ""));
        }
        if (s.contains("sde")) {
            return new Choice(label, "sde", "a stochastic (SDE) sampler: ldm's sde");
        }
        if (s.contains("heun") || s.contains("dpm2") || s.matches(".*\\b[23][ms]\\b.*")) {
            return new Choice(label, "heun", "a second-order or multistep solver: ldm's second-order heun");
        }
        return new Choice(label, "euler", "a first-order or other deterministic solver: ldm's euler");
    }
}
