package dev.ldm.flow;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Classifier-free guidance as a velocity field: v = v_u + g·(v_c − v_u), where v_c is the velocity
 * under the prompt and v_u under the empty (or negative) prompt. g = 1 is no guidance, g = 0 is
 * unconditional; the seed notes' (1 + w)·v_c − w·v_u is w = g − 1. It wraps the denoiser, so
 * samplers never know about conditioning.
 *
 * <p>With tag guidance w, a third velocity v_k under the prompt's first tag ("fox" of "fox, noto style")
 * adds w·(v_k − v_u): v = v_u + (g + w)·(v_k − v_u) + g·(v_c − v_k), guidance toward the subject and,
 * on top of it, toward the rest of the prompt, as Composable Diffusion (Liu et al. 2022) sums the
 * guidance of a prompt's parts. A model trained with tag dropout knows the tag's velocity.
 *
 * <p>All passes run as one batch: the state is stacked with itself, [x; x] (or [x; x; x] with tag
 * guidance), and the {@link ConditionalVelocity} (whose caller has bound the prompt states for rows
 * 0..B−1, the unconditional states for rows B..2B−1 and the tag's for rows 2B..3B−1) returns [v_c; v_u]
 * (or [v_c; v_u; v_k]). One call of {@link #velocity} is one network evaluation. When g = 1 without tag
 * guidance and a conditional-only field is given, the unconditional half is skipped and that field is
 * called on x alone. Outside its {@link GuidanceInterval} the field is the conditional velocity alone:
 * {@code conditionalOnly} on x, or the conditional part of the stack.
 */
public final class ClassifierFreeGuidance implements VelocityField {
    /**
     * The network on a stacked batch: rows 0..B−1 conditional, rows B..2B−1 unconditional, and with tag
     * guidance rows 2B..3B−1 under the first tag.
     */
    @FunctionalInterface
    public interface ConditionalVelocity {
        /** x [2B or 3B, ...] at time t → [v_c; v_u] or [v_c; v_u; v_k], of x's shape. */
        Tensor velocity(Tensor x, float t);
    }

    private final ConditionalVelocity pair;
    private final VelocityField conditionalOnly;
    private final double scale;
    private final double tagScale;
    private final GuidanceInterval interval;

    /**
     * @param pair the network on [cond; uncond] batches
     * @param conditionalOnly the network with the prompt on a B batch, used when g = 1 and outside
     *     the interval; may be null
     * @param scale g, any finite number
     * @param tagScale w, any finite number; 0 = no tag guidance (the network gets [cond; uncond] batches)
     * @param interval the times t at which guidance applies
     * @throws LdmException bad input when g or w is not finite
     */
    public ClassifierFreeGuidance(ConditionalVelocity pair, VelocityField conditionalOnly, double scale,
            double tagScale, GuidanceInterval interval) {
        if (!Double.isFinite(scale)) {
            throw LdmException.badInput("guidance scale must be a finite number, got " + scale);
        }
        if (!Double.isFinite(tagScale)) {
            throw LdmException.badInput("tag guidance must be a finite number, got " + tagScale);
        }
        this.pair = pair;
        this.conditionalOnly = conditionalOnly;
        this.scale = scale;
        this.tagScale = tagScale;
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Without tag guidance. */
    public ClassifierFreeGuidance(ConditionalVelocity pair, VelocityField conditionalOnly, double scale,
            GuidanceInterval interval) {
        this(pair, conditionalOnly, scale, 0, interval);
    }

    /** Guidance at every t. */
    public ClassifierFreeGuidance(ConditionalVelocity pair, VelocityField conditionalOnly, double scale) {
        this(pair, conditionalOnly, scale, GuidanceInterval.ALWAYS);
    }

    /** Always runs the 2B batch, even at g = 1, and guides at every t. */
    public ClassifierFreeGuidance(ConditionalVelocity pair, double scale) {
        this(pair, null, scale);
    }

    public double scale() {
        return scale;
    }

    /** w, the tag guidance; 0 = none. */
    public double tagScale() {
        return tagScale;
    }

    @Override
    public Tensor velocity(Tensor x, float t) {
        boolean guided = interval.contains(t);
        if (((scale == 1.0 && tagScale == 0) || !guided) && conditionalOnly != null) {
            return conditionalOnly.velocity(x, t);
        }
        int b = (int) x.shape()[0];
        int parts = tagScale == 0 ? 2 : 3;
        Tensor xs = Tensor.concat(java.util.Collections.nCopies(parts, x)); // [2B or 3B, ...]
        Tensor vs = pair.velocity(xs, t);              // [v_c; v_u] or [v_c; v_u; v_k]
        if (!Arrays.equals(vs.shape(), xs.shape())) {
            throw new IllegalStateException("guided velocity has shape " + vs.shapeString() + ", expected "
                    + xs.shapeString());
        }
        Tensor vc = vs.slice(0, b);                    // [B, ...]
        if (!guided) {
            return vc;
        }
        Tensor vu = vs.slice(b, 2 * b);                // [B, ...]
        Tensor v = vu.add(vc.sub(vu).mul((float) scale));
        if (parts == 2) {
            return v;
        }
        Tensor vk = vs.slice(2 * b, 3 * b);            // [B, ...]
        return v.add(vk.sub(vu).mul((float) tagScale)); // [B, ...]
    }
}
