package dev.ldm.vae;

/**
 * Outcome of {@link VaeTrainer#train}.
 *
 * @param psnr held-out reconstruction PSNR in dB
 * @param steps optimizer steps the weights have seen (including those before a resume)
 * @param scale measured scaling_factor (1/std of the training latents)
 * @param shift measured shift_factor (mean of the training latents)
 * @param seconds wall time of this call
 * @param finalLoss training loss of the last step run by this call (NaN when none ran)
 */
public record VaeTrainResult(double psnr, long steps, double scale, double shift, double seconds, double finalLoss) {
    public LatentNormalization normalization() {
        return new LatentNormalization(scale, shift);
    }
}
