package dev.ldm.generate;

/**
 * Where generation time went, in nanoseconds, for the benchmark and {@code --json}.
 *
 * @param text text encoding
 * @param denoise the whole sampling loop
 * @param dit DiT forward passes alone (inside denoise)
 * @param decode VAE decoding and conversion to images
 * @param nfe DiT forward calls (each on a batch of 2n with guidance)
 * @param draft a cascade's draft stage, whole (inside denoise, not in dit or nfe); 0 without one
 */
public record Timings(long text, long denoise, long dit, long decode, int nfe, long draft) {
    public long total() {
        return text + denoise + decode;
    }
}
