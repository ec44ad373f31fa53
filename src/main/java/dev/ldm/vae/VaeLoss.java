package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Nd;

/**
 * The KL-autoencoder objective: reconstruction error of a decoded posterior sample plus a small KL
 * pull of the posterior towards N(0, I), which keeps the latent space smooth enough to diffuse in.
 */
public final class VaeLoss {
    private VaeLoss() {}

    /**
     * One training loss. {@code eps} is the reparameterisation noise (drawn by the caller from
     * ldm's own generator), so z = mean + exp(logvar/2)·eps is differentiable in the encoder.
     *
     * @param x images [B, 3, H, W] in [-1, 1]
     * @param eps standard normal noise [B, L, H/f, W/f]
     * @return (total, reconstruction, kl) scalars; kl is per image value, as {@link VaeTrainConfig#klWeight} defines
     */
    public static NDList compute(Autoencoder vae, NDArray x, NDArray eps, double klWeight, boolean l1) {
        NDList posterior = vae.encode(x);
        NDArray mean = posterior.get(0);                            // [B, L, h, w]
        NDArray logvar = posterior.get(1);                          // [B, L, h, w]
        NDManager m = x.getManager();
        NDArray z = mean.add(logvar.mul(Nd.scalar(m, 0.5f)).exp().mul(eps)); // [B, L, h, w]
        NDArray rec = reconstruction(vae.decode(z), x, l1, 0);
        NDArray kl = klSum(mean, logvar).mul(Nd.scalar(m, 1f / x.size())); // Σ KL / (B·C·H·W)
        NDArray total = rec.add(kl.mul(Nd.scalar(m, (float) klWeight)));
        return new NDList(total, rec, kl);
    }

    /**
     * The reconstruction terms: mean absolute (or squared) error per pixel value on [-1, 1], plus
     * {@code ssimWeight}·(1 − MS-SSIM) on the images mapped to [0, 1] ({@link MsSsim}).
     *
     * @param recon decoded images [B, 3, H, W] (not clamped)
     * @param x the originals [B, 3, H, W] in [-1, 1]
     */
    public static NDArray reconstruction(NDArray recon, NDArray x, boolean l1, double ssimWeight) {
        NDArray diff = recon.sub(x);                                // [B, 3, H, W]
        NDArray rec = l1 ? diff.abs().mean() : diff.square().mean();
        if (ssimWeight == 0) {
            return rec;
        }
        NDManager m = x.getManager();
        NDArray half = Nd.scalar(m, 0.5f);
        NDArray structural = MsSsim.loss(recon.mul(half).add(half), x.mul(half).add(half));
        return rec.add(structural.mul(Nd.scalar(m, (float) ssimWeight)));
    }

    /** Σ KL(N(mean, exp(logvar)) ‖ N(0, 1)) over every element: ½·Σ(mean² + exp(logvar) − 1 − logvar). */
    public static NDArray klSum(NDArray mean, NDArray logvar) {
        return mean.square().add(logvar.exp()).sub(1f).sub(logvar).sum().mul(Nd.scalar(mean.getManager(), 0.5f));
    }
}
