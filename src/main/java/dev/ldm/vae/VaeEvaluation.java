package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.ldm.io.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Held-out reconstruction quality and the latent statistics that set the normalisation. */
public final class VaeEvaluation {
    /** PSNR reported for a perfect reconstruction (its MSE is floored here). */
    private static final double MIN_MSE = 1e-10;

    private VaeEvaluation() {}

    /**
     * PSNR in dB of one image against its reference, both in [-1, 1] (the reconstruction is clamped
     * to that range first, as it would be when saved): 10·log10(2² / MSE), the same figure as
     * 10·log10(1 / MSE) on [0, 1] pixels.
     */
    public static double psnr(float[] reference, float[] reconstruction) {
        if (reference.length != reconstruction.length || reference.length == 0) {
            throw new IllegalArgumentException("PSNR needs two non-empty images of one size");
        }
        double se = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(-1, Math.min(1, reconstruction[i]));
            double d = r - reference[i];
            se += d * d;
        }
        return 10 * Math.log10(4.0 / Math.max(MIN_MSE, se / reference.length));
    }

    /** Mean per-image PSNR (dB) of the deterministic reconstructions decode(mean(encode(x))). */
    public static double psnr(Autoencoder vae, List<Tensor> images, int batch) {
        VaeData data = new VaeData(images, vae.config(), "held-out images", 0);
        NDManager m = vae.manager();
        double sum = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            try (NDScope scope = new NDScope()) {
                NDArray x = data.range(m, from, to);                 // [b, 3, H, W]
                NDArray recon = vae.decode(vae.encode(x).get(0));    // [b, 3, H, W]
                float[] all = recon.toFloatArray();
                int per = all.length / (to - from);
                for (int i = from; i < to; i++) {
                    float[] r = java.util.Arrays.copyOfRange(all, (i - from) * per, (i - from + 1) * per);
                    sum += psnr(data.image(i).data(), r);
                }
            }
        }
        return sum / data.size();
    }

    /**
     * Shift = mean and scale = 1/std of every value of the encoder means over (up to
     * {@code maxImages} evenly spaced) images, so that normalised latents have zero mean and unit
     * variance on this data.
     */
    public static LatentNormalization latentNormalization(Autoencoder vae, List<Tensor> images, int batch,
            int maxImages) {
        List<Tensor> chosen = evenlySpaced(images, maxImages);
        VaeData data = new VaeData(chosen, vae.config(), "training images", 0);
        NDManager m = vae.manager();
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            try (NDScope scope = new NDScope()) {
                float[] mean = vae.encode(data.range(m, from, to)).get(0).toFloatArray(); // [b, L, h, w]
                for (float v : mean) {
                    sum += v;
                    sumSq += (double) v * v;
                }
                count += mean.length;
            }
        }
        double mu = sum / count;
        double std = Math.sqrt(Math.max(0, sumSq / count - mu * mu));
        return new LatentNormalization(1.0 / Math.max(std, 1e-6), mu);
    }

    private static List<Tensor> evenlySpaced(List<Tensor> images, int max) {
        if (images.size() <= max) {
            return images;
        }
        List<Tensor> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(images.get((int) ((long) i * images.size() / max)));
        }
        return out;
    }
}
