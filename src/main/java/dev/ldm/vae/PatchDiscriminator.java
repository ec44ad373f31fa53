package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The patch discriminator of the adversarial autoencoder loss: the shape of LDM's (pix2pix's)
 * NLayerDiscriminator with three strided layers, scaled down. 4×4 convolutions: stride 2 to
 * {@code width} channels, LeakyReLU(0.2); stride 2 to 2·width and 4·width, each with batch
 * normalisation and LeakyReLU; stride 1 to 8·width, batch normalisation, LeakyReLU; stride 1 to one
 * logit per patch. LDM uses width 64 (2.8 M parameters); ldm's default is {@link #WIDTH} 16 (one
 * sixteenth of that), for a decoder of 0.5 M parameters on two CPU cores. On 128 px images it gives
 * a 14×14 map of logits, each seeing a 70×70 patch.
 *
 * <p>Batch normalisation always uses the statistics of the batch it is given (the discriminator
 * is only ever run in training), so it keeps no running averages: its state is its weights and
 * its optimizer's moments, which a checkpoint holds. Weights are initialised from ldm's generator
 * (convolutions as {@link Conv2d}, scales 1, shifts 0), so one seed gives the same discriminator.
 */
public final class PatchDiscriminator extends Module {
    public static final int WIDTH = 16;
    public static final float SLOPE = 0.2f;
    public static final float BN_EPS = 1e-5f;

    private final List<Conv2d> convs = new ArrayList<>();
    private final List<NDArray[]> norms = new ArrayList<>(); // (scale, shift) per layer; null for the first and last

    public PatchDiscriminator(NDManager m, long seed, int imageChannels, int width) {
        if (width < 1 || width > 512) {
            throw new IllegalArgumentException("discriminator width must be 1 to 512, not " + width);
        }
        Rng rng = Rng.stream(seed, "vae-discriminator-init");
        int[] channels = {imageChannels, width, 2 * width, 4 * width, 8 * width, 1};
        int[] strides = {2, 2, 2, 1, 1};
        for (int i = 0; i < strides.length; i++) {
            convs.add(child("conv" + i, new Conv2d(m, rng, channels[i], channels[i + 1], 4, strides[i], 1)));
            boolean normed = i > 0 && i < strides.length - 1;
            norms.add(normed ? new NDArray[] {param("norm" + i + ".scale", m.ones(new ai.djl.ndarray.types.Shape(channels[i + 1]))),
                    param("norm" + i + ".shift", m.zeros(new ai.djl.ndarray.types.Shape(channels[i + 1])))} : null);
        }
    }

    /** Images [B, 3, H, W] in [-1, 1] → patch logits [B, 1, H/8 − 2, W/8 − 2]. */
    public NDArray forward(NDArray x) {
        NDArray h = x;
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).forward(h);
            if (i == convs.size() - 1) {
                break;
            }
            NDArray[] n = norms.get(i);
            if (n != null) {
                h = batchNorm(h, n[0], n[1]);
            }
            h = Activation.leakyRelu(h, SLOPE);
        }
        return h;
    }

    /** Mean over axes 0, 2 and 3 (DJL's PyTorch mean takes one axis at a time): [B, C, H, W] → [1, C, 1, 1]. */
    private static NDArray meanBatchAndSpace(NDArray h) {
        long c = h.getShape().get(1);
        return h.transpose(1, 0, 2, 3).reshape(c, -1).mean(new int[] {1}).reshape(1, c, 1, 1);
    }

    /** Normalises each channel by the batch's mean and (biased) variance, then scales and shifts. */
    private static NDArray batchNorm(NDArray h, NDArray scale, NDArray shift) {
        NDManager m = h.getManager();
        NDArray mean = meanBatchAndSpace(h);                               // [1, C, 1, 1]
        NDArray centred = h.sub(mean);
        NDArray var = meanBatchAndSpace(centred.square());                 // [1, C, 1, 1]
        NDArray normed = centred.div(var.add(Nd.scalar(m, BN_EPS)).sqrt());
        long c = scale.getShape().get(0);
        return normed.mul(scale.reshape(1, c, 1, 1)).add(shift.reshape(1, c, 1, 1));
    }
}
