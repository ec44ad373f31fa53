package dev.ldm.eval;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.metrics.FrechetDistance;
import dev.ldm.metrics.TopK;
import dev.ldm.onnx.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code ldm vae eval}: an autoencoder's round trip (ONNX encoder's posterior mean, then its decoder)
 * on a folder of images it did not train on. Reports the PSNR's mean and spread, the mean SSIM, the mean of each
 * sub-folder ({@code depth} levels down: a style, in ldm's emoji sets), the worst images, and, given a judge, its
 * accuracy on the originals and on the 8-bit reconstructions, so that a loss of detail that matters
 * for recognising the image shows, and the rFID of the reconstructions against the originals in its
 * feature space, which judges what an adversarial loss is meant to improve (realistic texture), where
 * PSNR, which such a loss usually lowers, cannot.
 *
 * @param parts the autoencoder (a model folder or what {@code ldm vae train} writes)
 * @param device where ONNX Runtime runs it
 * @param data image folder (recursive; captions beside the images name their concept for the judge)
 * @param size image side the images are resized to (a multiple of the VAE factor)
 * @param judge classifier to score originals and reconstructions with, or null
 * @param worst how many of the worst images to list
 * @param depth folder levels that name a group ({@code heldout/style/noto} at 2 is {@code style/noto})
 */
public record AutoencoderEvaluator(VaeParts parts, Device device, Path data, int size, TrainedClassifier judge,
        int worst, int depth) {
    public AutoencoderEvaluator {
        if (depth < 1 || depth > 16) {
            throw LdmException.badInput("--depth must be 1 to 16, not " + depth);
        }
        int f = parts.spec().downsampleFactor();
        if (size < f || size > 4096 || size % f != 0) {
            throw LdmException.badInput("--size must be a multiple of the VAE factor " + f + " up to 4096, not " + size);
        }
    }

    public AutoencoderReport run(Consumer<String> warn) {
        LoadedImages loaded = ImageFolder.load(ImageFolder.scan(data), size, warn);
        if (loaded.images().isEmpty()) {
            throw LdmException.badInput(data + ": none of the images could be read");
        }
        List<Tensor> images = loaded.images();
        VaeRoundTrip.Result r = VaeRoundTrip.reconstruct(parts, device, images);
        double[] psnr = r.psnr();
        double[] ssim = r.ssim();
        double[] sorted = psnr.clone();
        Arrays.sort(sorted);

        Map<String, List<Integer>> byFolder = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path rel = data.relativize(loaded.samples().get(i).image());
            names.add(rel.toString());
            int levels = Math.min(depth, rel.getNameCount() - 1);
            String folder = levels == 0 ? "." : rel.subpath(0, levels).toString().replace('\\', '/');
            byFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(i);
        }
        Map<String, AutoencoderReport.Group> groups = new TreeMap<>();
        byFolder.forEach((k, v) -> groups.put(k, new AutoencoderReport.Group(v.size(),
                v.stream().mapToDouble(i -> psnr[i]).average().orElseThrow(),
                v.stream().mapToDouble(i -> ssim[i]).average().orElseThrow())));
        List<AutoencoderReport.Image> worstImages = IntStream.range(0, psnr.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> psnr[i]).thenComparing(names::get))
                .limit(worst).map(i -> new AutoencoderReport.Image(names.get(i), psnr[i])).toList();

        AutoencoderReport.Judged judged = null;
        if (judge != null) {
            List<String> classes = judge.classes();
            int[] labels = loaded.samples().stream().mapToInt(s -> classes.indexOf(judge.labelRule().label(s.caption())))
                    .toArray();
            Classifier.Scores originals = judge.score(VaeRoundTrip.atSize(images, judge.size()));
            Classifier.Scores recon = judge.score(VaeRoundTrip.atSize(r.reconstructions(), judge.size()));
            double rfid = images.size() < 2 ? Double.NaN
                    : FrechetDistance.between(recon.features(), originals.features());
            judged = new AutoencoderReport.Judged(judge.dir().toString(),
                    TopK.score(originals.logits(), labels).figures(), TopK.score(recon.logits(), labels).figures(),
                    rfid);
        }
        return new AutoencoderReport(AutoencoderReport.FORMAT, parts.dir().toString(), data.toString(), size,
                images.size(), r.meanPsnr(), quantile(sorted, 0.5), quantile(sorted, 0.1), sorted[0], r.meanSsim(), groups,
                worstImages, judged);
    }

    /** The q-quantile of sorted values (nearest rank). */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
