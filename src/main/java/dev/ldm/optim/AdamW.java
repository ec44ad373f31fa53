package dev.ldm.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam(W) with global-norm gradient clipping (weight decay is coupled L2 in DJL 0.35; see update), updating parameters in place
 * through PyTorch's fused Adam kernel. Gradients are zeroed after every step (the PyTorch gradient
 * collector accumulates). Its moments and step count are saved and restored exactly.
 */
public final class AdamW {
    /** Hyper-parameters. */
    public record Config(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
        public static Config defaults() {
            return new Config(0.9, 0.999, 1e-8, 0.0, 1.0);
        }
    }

    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, NDArray> params;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private final Config config;
    private long step;

    public AdamW(Map<String, NDArray> params, NDManager manager, Config config) {
        this.params = params;
        this.config = config;
        params.forEach((k, p) -> {
            mean.put(k, manager.zeros(p.getShape(), p.getDataType()));
            variance.put(k, manager.zeros(p.getShape(), p.getDataType()));
        });
    }

    public long step() {
        return step;
    }

    /**
     * One update with learning rate {@code lr}. Returns the gradient norm before clipping. Call
     * inside the step's NDScope. A non-finite gradient norm is refused before any weight or moment
     * changes (the error names the first parameter whose gradient is not finite): clipping would
     * otherwise turn NaN into a NaN update of every weight and both moments.
     */
    public double update(double lr) {
        double sq = 0;
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            throw LdmException.failure("training diverged at optimizer step " + (step + 1) + ": the gradient norm is "
                    + norm + " (first non-finite gradient: " + firstNonFinite() + "); the weights were not updated",
                    null);
        }
        float rescale = (float) (config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0);
        step++;
        double bc1 = 1 - Math.pow(config.beta1(), step);
        double bc2 = 1 - Math.pow(config.beta2(), step);
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            // PyTorch's adam kernel. DJL 0.35 drops the adamw flag on its way to the kernel, so a
            // non-zero weight decay acts as L2 on the gradient (coupled), not decoupled AdamW decay;
            // ldm's defaults use 0, where Adam and AdamW agree.
            p.getNDArrayInternal().adamUpdate(new NDList(p, g, mean.get(e.getKey()), variance.get(e.getKey())),
                    new NDList(p), (float) lr, lrCorrected, (float) config.weightDecay(), rescale, -1f,
                    (float) config.beta1(), (float) config.beta2(), (float) config.eps(), true, false);
            g.set(ALL, 0f); // zero in place (g - g would keep a NaN or an infinity)
        }
        return norm;
    }

    private String firstNonFinite() {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = e.getValue().getGradient();
            if (!g.isInfinite().logicalOr(g.isNaN()).any().getBoolean()) {
                continue;
            }
            return e.getKey();
        }
        return "none: the sum of squares overflowed fp32";
    }

    /** Moments as host tensors ({@code m.NAME}, {@code v.NAME}) for checkpoints. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        mean.forEach((k, v) -> out.put("m." + k, Nd.toTensor(v)));
        variance.forEach((k, v) -> out.put("v." + k, Nd.toTensor(v)));
        return out;
    }

    public void loadState(Map<String, Tensor> state, long step) {
        mean.forEach((k, v) -> Nd.assign(v, state.get("m." + k).data()));
        variance.forEach((k, v) -> Nd.assign(v, state.get("v." + k).data()));
        this.step = step;
    }
}
