package dev.ldm.vae;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;

/** Test data made on the spot: a coloured square on a coloured background, [3, side, side] in [-1, 1]. */
final class SyntheticImages {
    private SyntheticImages() {}

    static List<Tensor> squares(long seed, int count, int side) {
        Rng r = new Rng(seed);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(square(r, side));
        }
        return out;
    }

    private static Tensor square(Rng r, int side) {
        float[] background = r.uniform(3, -1, 1);
        float[] foreground = r.uniform(3, -1, 1);
        int size = 3 + r.nextInt(side / 2);
        int x0 = r.nextInt(side - size);
        int y0 = r.nextInt(side - size);
        float[] d = new float[3 * side * side];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean inside = x >= x0 && x < x0 + size && y >= y0 && y < y0 + size;
                    d[(c * side + y) * side + x] = inside ? foreground[c] : background[c];
                }
            }
        }
        return new Tensor(new long[] {3, side, side}, d);
    }

    /** PSNR of always answering the mean training image: what a model that learned nothing scores. */
    static double meanImagePsnr(List<Tensor> train, List<Tensor> heldOut) {
        int n = train.get(0).data().length;
        float[] mean = new float[n];
        for (Tensor t : train) {
            for (int i = 0; i < n; i++) {
                mean[i] += t.data()[i] / train.size();
            }
        }
        double sum = 0;
        for (Tensor t : heldOut) {
            sum += VaeEvaluation.psnr(t.data(), mean);
        }
        return sum / heldOut.size();
    }
}
