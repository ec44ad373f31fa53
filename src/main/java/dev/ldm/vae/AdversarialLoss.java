package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Nd;

/**
 * The adversarial terms of LDM's autoencoder loss (Esser et al.'s VQGAN recipe): hinge losses for
 * the {@link PatchDiscriminator} and the generator, and the adaptive weight that scales the
 * generator's term so that its gradient at the decoder's last layer is as large as the
 * reconstruction loss's.
 */
public final class AdversarialLoss {
    /** Upper bound of the adaptive weight, as LDM's. */
    public static final double MAX_WEIGHT = 1e4;
    /** Added to the adversarial gradient norm, as LDM's. */
    public static final double EPS = 1e-4;

    private AdversarialLoss() {}

    /** The discriminator's hinge loss: ½(mean relu(1 − D(real)) + mean relu(1 + D(fake))). */
    public static NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
        NDManager m = realLogits.getManager();
        NDArray one = Nd.scalar(m, 1f);
        NDArray real = one.sub(realLogits).maximum(Nd.scalar(m, 0f)).mean();
        NDArray fake = one.add(fakeLogits).maximum(Nd.scalar(m, 0f)).mean();
        return real.add(fake).mul(Nd.scalar(m, 0.5f));
    }

    /** The generator's term: −mean D(fake). */
    public static NDArray generator(NDArray fakeLogits) {
        return fakeLogits.mean().neg();
    }

    /**
     * LDM's adaptive weight: weight · clamp(‖∇L_rec‖ / (‖∇L_gan‖ + 1e-4), 0, 1e4), both gradients
     * taken at the decoder's last layer weight; a number, so the term it scales passes no gradient
     * through it (LDM detaches it).
     */
    public static double adaptiveWeight(double recGradNorm, double ganGradNorm, double weight) {
        double ratio = recGradNorm / (ganGradNorm + EPS);
        if (!Double.isFinite(ratio)) {
            ratio = MAX_WEIGHT;
        }
        return weight * Math.max(0, Math.min(MAX_WEIGHT, ratio));
    }
}
