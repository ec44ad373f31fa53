package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.optim.AdamW;
import dev.ldm.optim.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder-only fine-tuning from a trained autoencoder with the structural and adversarial terms:
 * the encoder stays bit-identical, a resumed run ends with the bits of an uninterrupted one (the
 * discriminator and its optimizer included), one seed gives the same bits, and the discriminator
 * learns. 32 px images: the smallest on which the patch discriminator leaves a 2×2 map of logits.
 */
class VaeFineTuneTest {
    private static final VaeConfig TINY = VaeConfig.preset("tiny");
    private static final int SIDE = 32;

    @TempDir
    static Path tmp;
    static Path init;
    static List<Tensor> train;
    static List<Tensor> heldOut;

    @BeforeAll
    static void trainTheAutoencoderToStartFrom() {
        train = SyntheticImages.squares(11, 24, SIDE);
        heldOut = SyntheticImages.squares(12, 4, SIDE);
        init = tmp.resolve("init");
        new VaeTrainer(TINY, new VaeTrainConfig(6, 4, 3e-3, 2, 1e-6, "l1", 0.0, 1.0, 5, 100, 0, 0))
                .train(train, heldOut, init, false, VaeTrainListener.NONE);
    }

    /** Decoder-only, L1 + 0.5·(1 − MS-SSIM) + the adversarial term from step 3 on. */
    private static VaeTrainConfig fineTune(int steps) {
        return new VaeTrainConfig(steps, 4, 1e-3, 2, 1e-6, "l1", 0.0, 1.0, 7, 4, 0, 0)
                .withInit(init.toString(), true).withTerms(0.5, 0.5, 2);
    }

    private static Map<String, Tensor> checkpointTensors(Path out) {
        return Safetensors.read(out.resolve(VaeTrainer.CHECKPOINT_DIR).resolve(Checkpoint.FILE));
    }

    @Test
    void decoderOnlyLeavesTheEncoderBitIdenticalAndKeepsTheLatentNormalisation() {
        Path out = tmp.resolve("decoder-only");
        new VaeTrainer(TINY, fineTune(5)).train(train, heldOut, out, false, VaeTrainListener.NONE);
        Map<String, Tensor> before = Safetensors.read(init.resolve(VaeInfo.WEIGHTS));
        Map<String, Tensor> after = Safetensors.read(out.resolve(VaeInfo.WEIGHTS));
        int encoder = 0;
        int changed = 0;
        for (String k : before.keySet()) {
            if (k.startsWith("encoder.")) {
                assertEquals(before.get(k), after.get(k), k);
                encoder++;
            } else if (!before.get(k).equals(after.get(k))) {
                changed++;
            }
        }
        assertTrue(encoder > 0);
        assertEquals(before.size() - encoder, changed, "every decoder tensor was trained");
        assertEquals(VaeInfo.read(init).normalization(), VaeInfo.read(out).normalization());
        assertTrue(checkpointTensors(out).keySet().stream().anyMatch(k -> k.startsWith("model.discriminator.")),
                "the checkpoint holds the discriminator");
    }

    @Test
    void resumingWithTheDiscriminatorIsBitExactAndOneSeedGivesTheSameBits() {
        Path whole = tmp.resolve("whole");
        Path again = tmp.resolve("again");
        Path split = tmp.resolve("split");
        new VaeTrainer(TINY, fineTune(7)).train(train, heldOut, whole, false, VaeTrainListener.NONE);
        new VaeTrainer(TINY, fineTune(7)).train(train, heldOut, again, false, VaeTrainListener.NONE);
        new VaeTrainer(TINY, fineTune(4)).train(train, heldOut, split, false, VaeTrainListener.NONE); // 2 GAN steps
        long[] first = {-1};
        new VaeTrainer(TINY, fineTune(7)).train(train, heldOut, split, true,
                (step, total, loss, rate) -> first[0] = first[0] < 0 ? step : first[0]);
        assertEquals(5, first[0]);
        Map<String, Tensor> a = checkpointTensors(whole);
        for (Path other : List.of(again, split)) {
            Map<String, Tensor> b = checkpointTensors(other);
            assertEquals(a.keySet(), b.keySet());
            a.forEach((k, v) -> assertEquals(v, b.get(k), other.getFileName() + ": " + k));
        }
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("opt.m.discriminator.")));
    }

    @Test
    void resumeRefusesOtherLossTermsAndDecoderOnlyNeedsAnInit() {
        Path out = tmp.resolve("terms");
        new VaeTrainer(TINY, fineTune(2)).train(train, heldOut, out, false, VaeTrainListener.NONE);
        LdmException e = assertThrows(LdmException.class, () -> new VaeTrainer(TINY,
                fineTune(4).withTerms(0.5, 0.1, 2)).train(train, heldOut, out, true, VaeTrainListener.NONE));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("--gan-weight"), e.getMessage());
        e = assertThrows(LdmException.class, () -> fineTune(2).withInit(null, true));
        assertTrue(e.getMessage().contains("--init"), e.getMessage());
        VaeConfig other = new VaeConfig(3, 4, 16, new int[] {1, 2}, 1);
        e = assertThrows(LdmException.class, () -> new VaeTrainer(other, fineTune(2))
                .train(train, heldOut, tmp.resolve("other"), false, VaeTrainListener.NONE));
        assertTrue(e.getMessage().contains("to start from"), e.getMessage());
    }

    @Test
    void theDiscriminatorsLossFallsOnATinyCase() {
        List<Tensor> real = SyntheticImages.squares(13, 8, SIDE);
        List<Tensor> fake = SyntheticImages.squares(14, 8, SIDE);
        for (Tensor t : fake) { // the same kind of picture, with its edges smeared
            float[] d = t.data();
            for (int i = d.length - 1; i > 0; i--) {
                d[i] = 0.5f * (d[i] + d[i - 1]);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            PatchDiscriminator disc = new PatchDiscriminator(m, 0, 3, 8);
            AdamW opt = new AdamW(disc.parameters(), m, new AdamW.Config(0.5, 0.9, 1e-8, 0, 0));
            disc.setRequiresGradient(true);
            NDArray x = stack(m, real);
            NDArray y = stack(m, fake);
            assertEquals(new Shape(8, 1, 2, 2), disc.forward(x).getShape());
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            for (int step = 0; step < 40; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = AdversarialLoss.discriminator(disc.forward(x), disc.forward(y));
                    gc.backward(loss);
                    lastLoss = loss.getFloat();
                    firstLoss = step == 0 ? lastLoss : firstLoss;
                }
                opt.update(2e-3);
            }
            assertEquals(1.0, firstLoss, 0.5, "starts near the hinge's value for logits near 0");
            assertTrue(lastLoss < 0.3 * firstLoss, "hinge loss " + firstLoss + " → " + lastLoss);
        }
    }

    /**
     * The adaptive weight's two gradient norms, taken on a detached copy of the last layer's input,
     * equal those of a whole-graph backward pass of each loss alone, and leave no gradient behind.
     */
    @Test
    void theLastLayerGradientNormsOnTheDetachedBranchEqualWholeGraphOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder vae = new Autoencoder(m, TINY, 1);
            PatchDiscriminator disc = new PatchDiscriminator(m, 2, 3, 8);
            vae.decoder().setRequiresGradient(true);
            disc.setRequiresGradient(true);
            dev.ldm.util.Rng rng = dev.ldm.util.Rng.stream(3, "adaptive-test");
            NDArray z = m.create(rng.gaussian(2 * 4 * 16 * 16), new Shape(2, 4, 16, 16));
            NDArray x = m.create(rng.uniform(2 * 3 * SIDE * SIDE, -1, 1), new Shape(2, 3, SIDE, SIDE));
            NDArray weight = vae.decoder().convOut().parameters().get("weight");
            java.util.List<NDArray> all = new java.util.ArrayList<>(vae.decoder().parameters().values());
            all.addAll(disc.parameters().values());
            double[] direct = new double[2];
            for (int i = 0; i < 2; i++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray recon = vae.decode(z);
                    gc.backward(i == 0 ? VaeLoss.reconstruction(recon, x, true, 0.5)
                            : AdversarialLoss.generator(disc.forward(recon)));
                }
                direct[i] = Math.sqrt(weight.getGradient().square().sum().getFloat());
                VaeTrainer.zeroGradients(all);
            }
            double rec;
            double gan;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray cut = vae.decoder().features(z).stopGradient();
                rec = VaeTrainer.lastLayerNorm(gc, weight, vae, disc,
                        VaeLoss.reconstruction(vae.decoder().head(cut), x, true, 0.5));
                gan = VaeTrainer.lastLayerNorm(gc, weight, vae, disc,
                        AdversarialLoss.generator(disc.forward(vae.decoder().head(cut))));
            }
            assertTrue(direct[0] > 0 && direct[1] > 0);
            assertEquals(direct[0], rec, 1e-5 * direct[0]);
            assertEquals(direct[1], gan, 1e-5 * direct[1]);
            for (NDArray p : all) {
                assertEquals(0f, p.getGradient().abs().max().getFloat(), "no gradient is left behind");
            }
        }
    }

    @Test
    void theAdaptiveWeightIsLdmsClampedRatio() {
        assertEquals(0.5 * 2.0 / (1.0 + 1e-4), AdversarialLoss.adaptiveWeight(2.0, 1.0, 0.5), 1e-12);
        assertEquals(1e4, AdversarialLoss.adaptiveWeight(1.0, 0.0, 1.0), 1e-9);
        assertEquals(0.0, AdversarialLoss.adaptiveWeight(0.0, 3.0, 1.0));
    }

    private static NDArray stack(NDManager m, List<Tensor> images) {
        int per = images.get(0).data().length;
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).data(), 0, all, i * per, per);
        }
        return m.create(all, new Shape(images.size(), 3, SIDE, SIDE));
    }
}
