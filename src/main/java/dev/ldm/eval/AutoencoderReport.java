package dev.ldm.eval;

import dev.ldm.metrics.Accuracy;
import java.util.List;
import java.util.Map;

/**
 * What {@code ldm vae eval} measured ({@link AutoencoderEvaluator}); PSNR in dB on [0, 1] pixels.
 *
 * @param format {@link #FORMAT}
 * @param vae the autoencoder's folder
 * @param data the image folder
 * @param size image side in pixels
 * @param images images measured
 * @param psnrMean mean of the per-image PSNR
 * @param psnrMedian median per-image PSNR
 * @param psnrP10 10th percentile (nine in ten images are reconstructed at least this well)
 * @param psnrMin the worst image's PSNR
 * @param ssimMean mean of the per-image SSIM ({@link dev.ldm.metrics.Ssim}: 11×11 Gaussian window, [0, 1] pixels)
 * @param folders per sub-folder: images, mean PSNR and mean SSIM
 * @param worst the worst images, worst first
 * @param judge the judge's accuracy on originals and reconstructions, or null
 */
public record AutoencoderReport(String format, String vae, String data, int size, int images, double psnrMean,
        double psnrMedian, double psnrP10, double psnrMin, double ssimMean, Map<String, Group> folders, List<Image> worst,
        Judged judge) {
    public static final String FORMAT = "ldm-vae-eval/1";

    /** Images in one sub-folder and their mean PSNR and SSIM. */
    public record Group(int images, double psnr, double ssim) {}

    /** One image (path relative to the data folder) and its PSNR. */
    public record Image(String file, double psnr) {}

    /**
     * The judge's accuracy on the original images and on their reconstructions, and the rFID: the
     * Fréchet distance between the judge's features of all reconstructions (8-bit) and of all
     * originals (the same images, so a perfect autoencoder scores 0; NaN with fewer than 2 images).
     */
    public record Judged(String judge, Accuracy.Figures originals, Accuracy.Figures reconstructions, double rfid) {}
}
