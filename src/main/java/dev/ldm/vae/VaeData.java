package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * A list of same-sized images [3, H, W] in [-1, 1] and the order a run visits them in: epoch e is
 * a permutation drawn from the stream {@code vae-epoch-e} of the seed, so the batch at any step is a
 * function of (seed, step) alone and a resumed run sees exactly the batches an uninterrupted one would.
 */
final class VaeData {
    private final List<Tensor> images;
    private final long[] imageShape;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    VaeData(List<Tensor> images, VaeConfig config, String what, long seed) {
        this.images = List.copyOf(images);
        this.imageShape = validate(this.images, config, what);
        this.seed = seed;
    }

    int size() {
        return images.size();
    }

    /** The batch of training step {@code step} (1-based): [B, 3, H, W]. */
    NDArray batch(NDManager m, long step, int batch) {
        int n = images.size();
        int[] rows = new int[batch];
        for (int j = 0; j < batch; j++) {
            long k = (step - 1) * batch + j;
            rows[j] = order(k / n)[(int) (k % n)];
        }
        return stack(m, rows);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) in list order: [to − from, 3, H, W]. */
    NDArray range(NDManager m, int from, int to) {
        int[] rows = new int[to - from];
        Arrays.setAll(rows, i -> from + i);
        return stack(m, rows);
    }

    Tensor image(int i) {
        return images.get(i);
    }

    private NDArray stack(NDManager m, int[] rows) {
        int per = images.get(0).data().length;
        float[] all = new float[rows.length * per];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(images.get(rows[j]).data(), 0, all, j * per, per);
        }
        return m.create(all, new Shape(rows.length, imageShape[0], imageShape[1], imageShape[2]));
    }

    private int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = Rng.stream(seed, "vae-epoch-" + epoch).permutation(images.size());
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** Requires a non-empty list of finite [C, H, W] images of one size that the VAE can take. */
    static long[] validate(List<Tensor> images, VaeConfig config, String what) {
        if (images.isEmpty()) {
            throw LdmException.badInput(what + ": no images");
        }
        long[] first = images.get(0).shape();
        int f = config.downsampleFactor();
        if (first.length != 3 || first[0] != config.imageChannels() || first[1] % f != 0 || first[2] % f != 0
                || first[1] == 0 || first[2] == 0) {
            throw LdmException.badInput(what + ": images must be [" + config.imageChannels()
                    + ", H, W] with H and W positive multiples of " + f + ", got " + Arrays.toString(first));
        }
        for (int i = 0; i < images.size(); i++) {
            Tensor t = images.get(i);
            if (!Arrays.equals(first, t.shape())) {
                throw LdmException.badInput(what + ": image " + i + " is " + t.shapeString() + " but image 0 is "
                        + Arrays.toString(first) + " (resize them to one size first)");
            }
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw LdmException.badInput(what + ": image " + i + " has a non-finite value");
                }
            }
        }
        return first.clone();
    }
}
