package dev.ldm.flow;

import dev.ldm.LdmException;
import java.util.List;

/** The samplers by name, for the command line and the settings stored in PNGs. */
public final class Samplers {
    /** Names {@link #byName} accepts (the SDE also as {@code sde:NOISE}). */
    public static final List<String> NAMES = List.of("euler", "heun", "sde");

    private Samplers() {}

    /**
     * {@code euler}, {@code heun}, {@code sde} (noise level 1) or {@code sde:NOISE} (for example
     * {@code sde:0.5}); case and surrounding spaces are ignored.
     *
     * @throws LdmException bad input for any other name
     */
    public static Sampler byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "euler":
                return new EulerSampler();
            case "heun":
                return new HeunSampler();
            case "sde":
                return new SdeSampler();
            default:
                break;
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
        throw LdmException.badInput("sampler '" + name + "': unknown; choose one of euler, heun, sde, sde:NOISE");
    }
}
