package dev.ldm.flow;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * Stochastic sampler: the reverse-time SDE of the rectified-flow path, with the score taken from
 * the velocity ({@link RectifiedFlow#score}), so the same trained model serves ODE and SDE sampling.
 *
 * <p><b>The SDE.</b> For a noise level η ≥ 0 and g(t)² = 2ηt, run from t = 1 down to 0 (dt &lt; 0):
 * <pre>  dx = [v(x, t) − ½·g(t)²·∇log p_t(x)] dt + g(t) dW̄ .</pre>
 * For any g, the forward SDE dx = [v + ½g²∇log p_t] dt + g dW has the Fokker–Planck equation
 * ∂p/∂t = −∇·(p v) (the score term and the diffusion cancel), which is the continuity equation of
 * dx/dt = v, whose marginals are those of x_t = (1 − t)·x_0 + t·ε by the definition of
 * v = E[ε − x_0 | x_t]. The equation above is that SDE's time reversal (Anderson 1982), so it has the
 * same marginals p_t for every η; η = 0 is the ODE itself. With ∇log p_t = −ε̂/t the drift is
 * v + η·ε̂: choosing g² ∝ t keeps it bounded although the score grows like 1/t near the data,
 * and makes the injected noise vanish at t = 0 (SiT's "sigma" diffusion w_t = σ_t = t is η = ½).
 *
 * <p><b>Discretisation.</b> Euler–Maruyama from t to t' = t − h:
 * <pre>  x' = x − h·(v − η·t·score) + √(2η·t·h)·z,   z ~ N(0, I) from ldm's {@link Rng}.</pre>
 * For a single data point x_0 (where x_t = (1 − t)·x_0 + t·ε exactly) one step keeps the mean at
 * x_0 and gives the variance t'² + h²·((1 + η)² − 1) instead of t'²: an O(h²) error per step, so the
 * sampled marginals converge to the path's at first order, like Euler's. η = 0 is exactly
 * {@link EulerSampler}. The step multiplies the deviation from that point by 1 − h(1 + η)/t; a
 * schedule where this would fall to −1 or below (amplifying instead of contracting) is refused.
 * The final step, to t = 0, is the deterministic Euler step onto x̂_0 = x − t·v: the score is
 * undefined at t = 0, and noise added there would stay in the image.
 *
 * <p>Field evaluations: one per step. Noise: one N(0, I) draw of the state's size per non-final
 * step, in order, so the same seed gives the same output.
 */
public final class SdeSampler implements Sampler {
    /** The default noise level. */
    public static final double DEFAULT_NOISE = 1.0;

    private final double noiseLevel;

    /**
     * @param noise η ≥ 0 (0 = the ODE; 1 = the default)
     * @throws LdmException bad input when η is negative or not finite
     */
    public SdeSampler(double noise) {
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw LdmException.badInput("sde sampler: noise level must be a finite number >= 0, got " + noise);
        }
        this.noiseLevel = noise;
    }

    public SdeSampler() {
        this(DEFAULT_NOISE);
    }

    public double noiseLevel() {
        return noiseLevel;
    }

    @Override
    public String name() {
        return noiseLevel == DEFAULT_NOISE ? "sde" : "sde:" + noiseLevel;
    }

    @Override
    public Tensor sample(VelocityField field, Tensor noise, float[] timesteps, Rng rng, StepListener listener) {
        Schedule.validate(timesteps);
        checkStable(timesteps);
        if (noiseLevel > 0 && rng == null) {
            throw new IllegalArgumentException("the sde sampler needs an Rng");
        }
        return SamplerLoop.run(noise, timesteps, listener, (x, t, tNext) -> step(field, x, t, tNext, rng));
    }

    private Tensor step(VelocityField field, Tensor x, float t, float tNext, Rng rng) {
        if (tNext == 0f || noiseLevel == 0) {
            return EulerSampler.step(field, x, t, tNext); // deterministic; lands on x̂_0 at t = 0
        }
        float h = t - tNext;
        Tensor v = field.velocity(x, t);                                // [B, ...]
        Tensor score = RectifiedFlow.score(x, v, t);                     // [B, ...] = −ε̂ / t
        Tensor drift = v.sub(score.mul((float) (noiseLevel * t)));      // [B, ...] v − ½g²·score
        Tensor z = gaussianLike(x, rng);                                 // [B, ...]
        float std = (float) Math.sqrt(2 * noiseLevel * t * h);           // g·√h
        return x.sub(drift.mul(h)).add(z.mul(std));                      // [B, ...]
    }

    private static Tensor gaussianLike(Tensor x, Rng rng) {
        return new Tensor(x.shape().clone(), rng.gaussian(x.data().length));
    }

    private void checkStable(float[] ts) {
        for (int i = 0; i + 1 < ts.length; i++) {
            double h = ts[i] - ts[i + 1];
            if (ts[i + 1] > 0 && h * (1 + noiseLevel) >= 2 * ts[i]) { // a step to t = 0 is deterministic
                throw LdmException.badInput("sde sampler: noise level " + noiseLevel + " is too high for the step"
                        + " from t = " + ts[i] + " to " + ts[i + 1]
                        + " (needs (1 + noise)·(t − t') < 2t); use more steps or less noise");
            }
        }
    }

    @Override
    public int evaluations(float[] timesteps) {
        return timesteps.length - 1;
    }
}
