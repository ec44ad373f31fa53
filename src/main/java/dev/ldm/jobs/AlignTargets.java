package dev.ldm.jobs;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.Sample;
import dev.ldm.folder.VaeParts;
import dev.ldm.image.Images;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.model.DiTConfig;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.train.Alignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The targets of {@code ldm train --align}: the judge's last feature map of every training image
 * (resized to the judge's size as {@code ldm eval} resizes images for it), as tokens, in the latent
 * cache's row order. Cached beside the latents in a file named by the latent cache's key and the
 * judge's identity, so a re-run reads it and another judge computes its own.
 */
public final class AlignTargets implements AutoCloseable {
    /** Tensor name of the [N, s·s, W] feature tokens in the cache file. */
    static final String TOKENS = "tokens";
    /**
     * Images decoded at a time when the latents were cached before (so their images are not in memory):
     * a multiple of the judge's batch, so that it scores the same batches as from images in memory.
     */
    private static final int DECODE_CHUNK = 8 * TrainedClassifier.BATCH;

    /**
     * What {@code --align} asks for.
     *
     * @param judge the judge's folder (written by {@code ldm eval classifier train})
     * @param weight weight of the alignment term
     * @param depth the DiT block (1-based) whose output is aligned
     */
    public record Request(Path judge, double weight, int depth) {}

    private final Request request;
    private final TrainedClassifier judge;
    private final String identity;
    /** Tokens of the images the latent cache decoded, chunk by chunk, when it was built in this run. */
    private final List<Tensor> scored = new java.util.ArrayList<>();

    private AlignTargets(Request request, TrainedClassifier judge) {
        this.request = request;
        this.judge = judge;
        this.identity = judge.identity();
    }

    /**
     * Opens the judge and checks it against the DiT before anything is encoded: its feature map must
     * fit the token grid, and the depth must name a block. Close it when done.
     */
    public static AlignTargets open(Request request, DiTConfig model) {
        TrainedClassifier judge = TrainedClassifier.open(request.judge());
        try {
            Alignment.checkGrids(judge.info().config().mapSide(), model.grid(), request.judge().toString());
            Alignment.checkDepth(request.depth(), model.depth());
            new Alignment.Settings("", request.weight(), request.depth()); // refuses a bad weight now
            return new AlignTargets(request, judge);
        } catch (RuntimeException e) {
            judge.close();
            throw e;
        }
    }

    /**
     * Scores one chunk of images as the latent cache decodes them (pass it to
     * {@link LatentData#loadOrEncode}), so that a new cache's images are decoded once for both.
     */
    public void score(List<Tensor> images) {
        scored.add(judge.featureTokens(Images.atSize(images, judge.size())));
    }

    /** The judge's identity (SHA-256 of its weights and architecture). */
    public String judgeIdentity() {
        return identity;
    }

    /** The cache file of these targets: beside the latents, keyed by the latents' key and the judge. */
    static Path file(Path cacheDir, List<Sample> samples, int size, VaeParts vae, TextEncoderConfig text,
            String judge) {
        return cacheDir.resolve("align-" + LatentData.key(samples, size, vae, text) + "-" + judge.substring(0, 16)
                + ".safetensors");
    }

    /**
     * The alignment of a run: the targets read from their cache file, or computed from the images
     * (as {@link #score} received them from a new latent cache, or decoded again as it decoded them) and written, then
     * pooled to the DiT's token grid and standardised per channel ({@link Alignment#standardise}).
     */
    public Alignment load(Path cacheDir, List<Sample> samples, int size, VaeParts vae, TextEncoderConfig text,
            LatentData.Encoded encoded, DiTConfig model) {
        int n = encoded.cache().size();
        int side = judge.info().config().mapSide();
        long[] want = {n, (long) side * side, judge.info().config().featureDim()};
        Path file = file(cacheDir, samples, size, vae, text, identity);
        Tensor tokens;
        if (Files.isRegularFile(file)) {
            Safetensors.Contents c = Safetensors.readAll(file);
            tokens = c.tensors().get(TOKENS);
            if (tokens == null || !Arrays.equals(tokens.shape(), want) || !identity.equals(c.metadata().get("judge"))) {
                throw LdmException.badInput(file + ": not the alignment targets of these images and this judge "
                        + "(delete it to compute them again)");
            }
        } else {
            tokens = scored.isEmpty() ? decodeAndScore(samples, size)               // [N, s·s, W]
                    : scored.size() == 1 ? scored.get(0) : Tensor.concat(scored);
            if (tokens.shape()[0] != n) {
                throw LdmException.badInput(tokens.shape()[0] + " training images are readable now but the latent "
                        + "cache holds " + n + "; delete " + cacheDir + " to encode them again");
            }
            Safetensors.write(file, Map.of(TOKENS, tokens), Map.of("judge", identity, "judge_dir",
                    request.judge().toAbsolutePath().normalize().toString()), Safetensors.DType.F32);
        }
        return new Alignment(new Alignment.Settings(identity, request.weight(), request.depth()),
                Alignment.standardise(Alignment.poolToGrid(tokens, side, model.grid())));
    }

    /**
     * The judge's tokens of the samples decoded again as the latent cache decoded them (unreadable
     * ones skipped), {@link #DECODE_CHUNK} at a time, so that the full-size images are never all in
     * memory at once.
     */
    private Tensor decodeAndScore(List<Sample> samples, int size) {
        List<Tensor> parts = new java.util.ArrayList<>();
        for (int from = 0; from < samples.size(); from += DECODE_CHUNK) {
            List<Tensor> images = ImageFolder.load(samples.subList(from, Math.min(samples.size(), from + DECODE_CHUNK)),
                    size, message -> { }).images();
            if (!images.isEmpty()) {
                parts.add(judge.featureTokens(Images.atSize(images, judge.size())));
            }
        }
        if (parts.isEmpty()) {
            throw LdmException.badInput("no training image is readable now; delete the latent cache to encode again");
        }
        return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts);
    }

    @Override
    public void close() {
        judge.close();
    }
}
