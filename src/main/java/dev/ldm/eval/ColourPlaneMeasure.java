package dev.ldm.eval;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.flow.ColourPlane;
import dev.ldm.flow.LowFrequencyAnchor;
import dev.ldm.folder.VaeParts;
import dev.ldm.image.HueRotation;
import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import dev.ldm.metrics.SymmetricEigen;
import dev.ldm.onnx.Device;
import dev.ldm.util.Rng;
import dev.ldm.vae.LatentNormalization;
import dev.ldm.vae.VaeEncoder;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ldm vae colour-plane}: which directions of an autoencoder's latent channels carry the colour.
 * Each of {@code images} images (a seeded choice from {@code data}) is encoded together with a copy whose
 * hue is turned by a seeded angle in [60°, 300°) ({@link HueRotation}: shapes and brightness kept); the
 * block means of the two normalised latents are subtracted, and the channel vectors of those differences
 * give a second-moment matrix. Its leading eigenvectors span the plane a recolouring moves a latent in:
 * the {@link ColourPlane} that {@code --draft-colour free} leaves to the model that redraws.
 *
 * @param parts the autoencoder (its encoder and latent normalisation)
 * @param device where the encoder runs
 * @param data image folder (recursive)
 * @param size image side in pixels the images are encoded at
 * @param images how many images to use (fewer when the folder has fewer)
 * @param block side of the blocks of latent cells whose means are compared (the anchor's)
 * @param directions how many directions the plane keeps
 * @param seed the choice of images and the angles
 */
public record ColourPlaneMeasure(VaeParts parts, Device device, Path data, int size, int images, int block,
        int directions, long seed) {
    public ColourPlaneMeasure {
        int c = parts.spec().latentChannels();
        if (directions < 1 || directions >= c) {
            throw LdmException.badInput("--directions must be 1 to " + (c - 1) + " for " + c + " latent channels, not "
                    + directions);
        }
        if (images < 1 || images > 100_000) {
            throw LdmException.badInput("--images must be 1 to 100000, not " + images);
        }
        if (block < 1 || block > LowFrequencyAnchor.MAX_FACTOR) {
            throw LdmException.badInput("--block must be 1 to " + LowFrequencyAnchor.MAX_FACTOR + ", not " + block);
        }
        int side = parts.spec().latentSide(size, 1);
        if (side % block != 0) {
            throw LdmException.badInput("--block " + block + ": the latent side " + side + " (" + size
                    + " px) is not a multiple of it");
        }
    }

    /**
     * @param plane the leading directions
     * @param eigenvalues every eigenvalue of the second moment, largest first (the plane's are the first)
     * @param images images encoded with their copies
     * @param blocks block differences summed
     */
    public record Result(ColourPlane plane, double[] eigenvalues, int images, long blocks) {}

    public Result run(Consumer<String> progress) {
        List<Sample> all = ImageFolder.scan(data);
        int[] order = Rng.stream(seed, "colour-plane-images").permutation(all.size());
        Rng angles = Rng.stream(seed, "colour-plane-angles");
        int c = parts.spec().latentChannels();
        LatentNormalization norm = parts.spec().normalization();
        double[][] moment = new double[c][c];
        int used = 0;
        long blocks = 0;
        try (VaeEncoder encoder = VaeEncoder.open(parts.encoder(), device)) {
            for (int k = 0; k < all.size() && used < images; k++) {
                Path file = all.get(order[k]).image();
                double degrees = 60 + 240 * angles.nextDouble(); // drawn for every image tried, read or not
                BufferedImage img;
                try {
                    img = Images.read(file);
                } catch (LdmException e) {
                    progress.accept("skipped " + file + ": " + e.getMessage());
                    continue;
                }
                Tensor a = encode(encoder, norm, Images.toTensor(img, size));
                Tensor b = encode(encoder, norm, Images.toTensor(HueRotation.rotate(img, degrees), size));
                Tensor da = LowFrequencyAnchor.lowPass(a, block);
                Tensor db = LowFrequencyAnchor.lowPass(b, block);
                blocks += accumulate(moment, da, db, block);
                used++;
                if (used % 100 == 0) {
                    progress.accept(used + " images");
                }
            }
        }
        if (used == 0) {
            throw LdmException.badInput(data + ": none of the images could be read");
        }
        Spectrum spectrum = Spectrum.of(moment);
        return new Result(spectrum.plane(directions), spectrum.values(), used, blocks);
    }

    /**
     * The eigen-decomposition of a second moment, largest eigenvalue first.
     *
     * @param values the eigenvalues, descending
     * @param vectors {@code vectors[i]} the unit eigenvector of {@code values[i]}, its sign fixed so that its
     *     largest entry is positive
     */
    record Spectrum(double[] values, double[][] vectors) {
        static Spectrum of(double[][] moment) {
            SymmetricEigen e = SymmetricEigen.of(moment);
            int n = moment.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(e.values()[y], e.values()[x]));
            double[] values = new double[n];
            double[][] vectors = new double[n][n];
            for (int i = 0; i < n; i++) {
                values[i] = e.values()[order[i]];
                int big = 0;
                for (int j = 0; j < n; j++) {
                    vectors[i][j] = e.vectors()[j][order[i]]; // column order[i] of V
                    big = Math.abs(vectors[i][j]) > Math.abs(vectors[i][big]) ? j : big;
                }
                double sign = vectors[i][big] < 0 ? -1 : 1;
                for (int j = 0; j < n; j++) {
                    vectors[i][j] *= sign;
                }
            }
            return new Spectrum(values, vectors);
        }

        /** The plane of the {@code k} leading eigenvectors. */
        ColourPlane plane(int k) {
            return new ColourPlane(java.util.Arrays.copyOf(vectors, k));
        }
    }

    private static Tensor encode(VaeEncoder encoder, LatentNormalization norm, Tensor chw) {
        long[] s = chw.shape();
        return norm.normalize(encoder.encode(new Tensor(new long[] {1, s[0], s[1], s[2]}, chw.data())));
    }

    /** Adds the outer products of the channel vectors of b − a, one per block (its first cell), to m. */
    private static long accumulate(double[][] m, Tensor a, Tensor b, int block) {
        long[] s = a.shape(); // [1, C, h, w], block means written over each block
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        double[] d = new double[c];
        long n = 0;
        for (int y = 0; y < h; y += block) {
            for (int x = 0; x < w; x += block) {
                for (int ch = 0; ch < c; ch++) {
                    int at = (ch * h + y) * w + x;
                    d[ch] = (double) b.data()[at] - a.data()[at];
                }
                for (int i = 0; i < c; i++) {
                    for (int j = 0; j < c; j++) {
                        m[i][j] += d[i] * d[j];
                    }
                }
                n++;
            }
        }
        return n;
    }
}
