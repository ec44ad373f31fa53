package dev.ldm.flow;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Classifier-free guidance as a velocity field: v = v_u + g·(v_c − v_u), where v_c is the velocity
 * under the prompt and v_u under the empty (or negative) prompt. g = 1 is no guidance, g = 0 is
 * unconditional; the seed notes' (1 + w)·v_c − w·v_u is w = g − 1. It wraps the denoiser, so
 * samplers never know about conditioning.
 *
 * <p>Both passes run as one batch of 2B: the state is stacked with itself, [x; x], and the
 * {@link ConditionalVelocity} (whose caller has bound the prompt states for rows 0..B−1 and the
 * unconditional states for rows B..2B−1) returns [v_c; v_u]. One call of {@link #velocity} is one
 * network evaluation. When g = 1 and a conditional-only field is given, the unconditional half is
 * skipped and that field is called on x alone. Outside its {@link GuidanceInterval} the field is the
 * conditional velocity alone: {@code conditionalOnly} on x, or the conditional half of the pair.
 */
public final class ClassifierFreeGuidance implements VelocityField {
    /** The network on a 2B batch: rows 0..B−1 conditional, rows B..2B−1 unconditional. */
    @FunctionalInterface
    public interface ConditionalVelocity {
        /** x2B [2B, ...] at time t → [v_c; v_u] [2B, ...]. */
        Tensor velocity(Tensor x2B, float t);
    }

    private final ConditionalVelocity pair;
    private final VelocityField conditionalOnly;
    private final double scale;
    private final GuidanceInterval interval;

    /**
     * @param pair the network on [cond; uncond] batches
     * @param conditionalOnly the network with the prompt on a B batch, used when g = 1 and outside
     *     the interval; may be null
     * @param scale g, any finite number
     * @param interval the times t at which guidance applies
     * @throws LdmException bad input when g is not finite
     */
    public ClassifierFreeGuidance(ConditionalVelocity pair, VelocityField conditionalOnly, double scale,
            GuidanceInterval interval) {
        if (!Double.isFinite(scale)) {
            throw LdmException.badInput("guidance scale must be a finite number, got " + scale);
        }
        this.pair = pair;
        this.conditionalOnly = conditionalOnly;
        this.scale = scale;
        this.interval = Objects.requireNonNull(interval, "interval");
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

    @Override
    public Tensor velocity(Tensor x, float t) {
        boolean guided = interval.contains(t);
        if ((scale == 1.0 || !guided) && conditionalOnly != null) {
            return conditionalOnly.velocity(x, t);
        }
        int b = (int) x.shape()[0];
        Tensor x2 = Tensor.concat(List.of(x, x));     // [2B, ...]
        Tensor v2 = pair.velocity(x2, t);             // [2B, ...] = [v_c; v_u]
        if (!Arrays.equals(v2.shape(), x2.shape())) {
            throw new IllegalStateException("guided velocity has shape " + v2.shapeString() + ", expected "
                    + x2.shapeString());
        }
        Tensor vc = v2.slice(0, b);                   // [B, ...]
        if (!guided) {
            return vc;
        }
        Tensor vu = v2.slice(b, 2 * b);               // [B, ...]
        return vu.add(vc.sub(vu).mul((float) scale)); // [B, ...]
    }
}
