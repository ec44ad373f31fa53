package dev.ldm.eval;

import dev.ldm.folder.VaeParts;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.metrics.Accuracy;
import dev.ldm.metrics.Ssim;
import dev.ldm.metrics.TopK;
import dev.ldm.onnx.Device;
import dev.ldm.vae.VaeDecoder;
import dev.ldm.vae.VaeEncoder;
import dev.ldm.vae.VaeEvaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How much the autoencoder loses: real images go through the model's ONNX encoder (posterior mean)
 * and decoder; the PSNR compares pixels, the SSIM local structure, and the judge's accuracy on the reconstructions (rounded to
 * 8 bits, as a saved image would be) shows whether the loss matters for recognising the image.
 */
final class VaeRoundTrip {
    /** Images per encoder/decoder call. */
    static final int BATCH = 32;

    private VaeRoundTrip() {}

    /**
     * Each image's PSNR and its reconstruction as an 8-bit image would hold it.
     *
     * @param psnr dB per image, in input order
     * @param ssim mean SSIM per image ({@link Ssim}), in input order
     * @param reconstructions [3, S, S] in [-1, 1], rounded to 8-bit levels
     */
    record Result(double[] psnr, double[] ssim, List<Tensor> reconstructions) {
        double meanPsnr() {
            return Arrays.stream(psnr).average().orElse(Double.NaN);
        }

        double meanSsim() {
            return Arrays.stream(ssim).average().orElse(Double.NaN);
        }
    }

    /** Encodes (posterior mean) and decodes every image, {@link #BATCH} at a time. */
    static Result reconstruct(VaeParts parts, Device device, List<Tensor> images) {
        double[] psnr = new double[images.size()];
        double[] ssim = new double[images.size()];
        List<Tensor> recon = new ArrayList<>();
        try (VaeEncoder encoder = VaeEncoder.open(parts.encoder(), device);
                VaeDecoder decoder = VaeDecoder.open(parts.decoder(), device)) {
            for (int from = 0; from < images.size(); from += BATCH) {
                List<Tensor> chunk = images.subList(from, Math.min(images.size(), from + BATCH));
                Tensor out = decoder.decode(encoder.encode(Tensor.stack(chunk))); // [b, 3, S, S]
                int per = chunk.get(0).data().length;
                for (int i = 0; i < chunk.size(); i++) {
                    float[] r = Arrays.copyOfRange(out.data(), i * per, (i + 1) * per);
                    psnr[from + i] = VaeEvaluation.psnr(chunk.get(i).data(), r);
                    long[] shape = chunk.get(i).shape();
                    ssim[from + i] = Ssim.mean(chunk.get(i).data(), r, (int) shape[0], (int) shape[1], (int) shape[2]);
                    Tensor chw = new Tensor(chunk.get(i).shape().clone(), r);
                    recon.add(Images.toTensor(Images.toImage(chw), (int) chw.shape()[1]));
                }
            }
        }
        return new Result(psnr, ssim, recon);
    }

    /**
     * @param images [3, S, S] real images at the model's size
     * @param labels their class indices in the judge (−1 = unknown)
     * @param realFeatures the judge's features of the same images, in order, for the round trip's FID
     * @param generated how many images the evaluation generated, and its seed: the FID's split
     */
    static EvalReport.Vae run(VaeParts parts, Device device, List<Tensor> images, int[] labels,
            TrainedClassifier judge, float[][] realFeatures, int generated, long seed) {
        Result r = reconstruct(parts, device, images);
        Classifier.Scores scores = judge.score(atSize(r.reconstructions(), judge.size()));
        Accuracy acc = TopK.score(scores.logits(), labels);
        Double fid = FidMeasure.roundTrip(realFeatures, scores.features(), generated, seed);
        return new EvalReport.Vae(images.size(), r.meanPsnr(), acc.figures(), fid);
    }

    /** Images at {@code size} px (resampled through an 8-bit image when the sizes differ). */
    static List<Tensor> atSize(List<Tensor> images, int size) {
        return Images.atSize(images, size);
    }
}
