package dev.ldm.generate;

/**
 * Where generation time went, in nanoseconds, for the benchmark and {@code --json}.
 *
 * @param text text encoding
 * @param denoise the whole sampling loop
 * @param dit DiT forward passes alone (inside denoise)
 * @param decode VAE decoding and conversion to images
 * @param nfe DiT forward calls (each on a batch of 2n with guidance)
 */
public record Timings(long text, long denoise, long dit, long decode, int nfe) {
    public long total() {
        return text + denoise + decode;
    }
}
