package dev.ldm.model;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uniform average of several sets of weights of one architecture, tensor by tensor ("model
 * soups", Wortsman et al. 2022): for runs continued from the same weights, the average often scores
 * at least as well as each. Each value is summed in double precision in the order given and divided
 * once, so the result does not depend on how many threads or which CPU computed it.
 */
public final class WeightAverage {
    private WeightAverage() {}

    /**
     * The mean of {@code models} (at least one), in the first's tensor order. Every model must hold
     * the same tensor names with the same shapes; {@code names} says which input is which in an error.
     */
    public static Map<String, Tensor> mean(List<Map<String, Tensor>> models, List<String> names) {
        if (models.isEmpty() || models.size() != names.size()) {
            throw new IllegalArgumentException("need one name per model, and at least one model");
        }
        Map<String, Tensor> first = models.get(0);
        for (int m = 1; m < models.size(); m++) {
            Map<String, Tensor> other = models.get(m);
            if (!other.keySet().equals(first.keySet())) {
                throw LdmException.badInput(names.get(m) + ": holds other tensors than " + names.get(0));
            }
            for (Map.Entry<String, Tensor> kv : first.entrySet()) {
                if (!Arrays.equals(kv.getValue().shape(), other.get(kv.getKey()).shape())) {
                    throw LdmException.badInput(names.get(m) + ": tensor " + kv.getKey() + " has shape "
                            + Arrays.toString(other.get(kv.getKey()).shape()) + ", not "
                            + Arrays.toString(kv.getValue().shape()) + " as in " + names.get(0));
                }
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> kv : first.entrySet()) {
            float[][] values = models.stream().map(model -> model.get(kv.getKey()).data()).toArray(float[][]::new);
            float[] mean = new float[kv.getValue().data().length];
            for (int i = 0; i < mean.length; i++) {
                double sum = 0;
                for (float[] v : values) {
                    sum += v[i];
                }
                mean[i] = (float) (sum / values.length);
            }
            out.put(kv.getKey(), new Tensor(kv.getValue().shape().clone(), mean));
        }
        return out;
    }
}
