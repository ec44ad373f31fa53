package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTrainerTest {
    private static final VaeConfig TINY = VaeConfig.preset("tiny");

    @TempDir
    Path dir;

    private static VaeTrainConfig config(int steps, int batch, double lr, long seed) {
        return new VaeTrainConfig(steps, batch, lr, 20, 1e-6, "mse", 0.0, 1.0, seed, 10, 0, 0);
    }

    @Test
    void learnsSquaresWellAboveTheMeanImageAndWritesAPipelineReadyFolder() {
        List<Tensor> train = SyntheticImages.squares(1, 256, 16);
        List<Tensor> heldOut = SyntheticImages.squares(2, 32, 16);
        double baseline = SyntheticImages.meanImagePsnr(train, heldOut);
        long[] steps = {0};
        VaeTrainResult r = new VaeTrainer(TINY, config(300, 8, 3e-3, 0).withSteps(300))
                .train(train, heldOut, dir, false, (step, total, loss, rate) -> steps[0] = step);
        assertEquals(300, steps[0]);
        assertTrue(r.psnr() > baseline + 5, "PSNR " + r.psnr() + " dB vs mean-image baseline " + baseline + " dB");

        VaeInfo info = VaeInfo.read(dir);
        assertEquals(r.psnr(), info.psnr());
        assertEquals(r.normalization(), info.normalization());
        assertEquals(2, info.downsampleFactor());
        assertTrue(Files.isRegularFile(dir.resolve(VaeInfo.WEIGHTS)));
        assertTrue(Files.isRegularFile(dir.resolve(VaeTrainer.TRAIN_CONFIG)));

        // Through ONNX Runtime: normalised training latents have zero mean and unit variance,
        // and encode → decode reproduces the held-out PSNR measured in DJL.
        try (VaeEncoder enc = VaeEncoder.open(dir.resolve(VaeInfo.ENCODER), Device.CPU);
                VaeDecoder dec = VaeDecoder.open(dir.resolve(VaeInfo.DECODER), Device.CPU)) {
            float[] z = info.normalization().normalize(enc.encode(stack(train))).data();
            double sum = 0;
            double sq = 0;
            for (float v : z) {
                sum += v;
                sq += v * v;
            }
            double mean = sum / z.length;
            assertEquals(0, mean, 1e-3);
            assertEquals(1, Math.sqrt(sq / z.length - mean * mean), 1e-3);
            Tensor recon = dec.decode(enc.encode(stack(heldOut)));
            int per = heldOut.get(0).data().length;
            double psnr = 0;
            for (int i = 0; i < heldOut.size(); i++) {
                psnr += VaeEvaluation.psnr(heldOut.get(i).data(),
                        java.util.Arrays.copyOfRange(recon.data(), i * per, (i + 1) * per));
            }
            assertEquals(r.psnr(), psnr / heldOut.size(), 0.01);
        }
    }

    @Test
    void resumingFromACheckpointEndsWithTheWeightsOfAnUninterruptedRun() {
        List<Tensor> train = SyntheticImages.squares(3, 24, 8);
        List<Tensor> heldOut = SyntheticImages.squares(4, 4, 8);
        Path whole = dir.resolve("whole");
        Path split = dir.resolve("split");
        VaeTrainConfig c = config(40, 4, 2e-3, 9);
        new VaeTrainer(TINY, c).train(train, heldOut, whole, false, VaeTrainListener.NONE);
        new VaeTrainer(TINY, c.withSteps(25)).train(train, heldOut, split, false, VaeTrainListener.NONE);
        long[] first = {-1};
        VaeTrainResult r = new VaeTrainer(TINY, c).train(train, heldOut, split, true,
                (step, total, loss, rate) -> first[0] = first[0] < 0 ? step : first[0]);
        assertEquals(26, first[0]);
        assertEquals(40, r.steps());
        Map<String, Tensor> a = Safetensors.read(whole.resolve(VaeInfo.WEIGHTS));
        Map<String, Tensor> b = Safetensors.read(split.resolve(VaeInfo.WEIGHTS));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertEquals(v, b.get(k), k));
    }

    @Test
    void resumeRefusesACheckpointOfAnotherRun() {
        List<Tensor> train = SyntheticImages.squares(5, 8, 8);
        new VaeTrainer(TINY, config(2, 4, 1e-3, 1)).train(train, train, dir, false, VaeTrainListener.NONE);
        LdmException e = assertThrows(LdmException.class, () -> new VaeTrainer(TINY, config(4, 4, 1e-3, 2))
                .train(train, train, dir, true, VaeTrainListener.NONE));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        VaeConfig wider = new VaeConfig(3, 4, 16, new int[] {1, 2}, 1);
        e = assertThrows(LdmException.class, () -> new VaeTrainer(wider, config(4, 4, 1e-3, 1))
                .train(train, train, dir, true, VaeTrainListener.NONE));
        assertTrue(e.getMessage().contains("VAE config"), e.getMessage());
    }

    @Test
    void unusableImagesAreBadInput() {
        List<Tensor> mixed = new ArrayList<>(SyntheticImages.squares(6, 2, 8));
        mixed.add(SyntheticImages.squares(7, 1, 16).get(0));
        VaeTrainer t = new VaeTrainer(TINY, config(1, 2, 1e-3, 0));
        LdmException e = assertThrows(LdmException.class, () -> t.train(mixed, mixed, dir, false, VaeTrainListener.NONE));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("image 2"), e.getMessage());
        e = assertThrows(LdmException.class, () -> t.train(mixed.subList(0, 2), List.of(), dir, false,
                VaeTrainListener.NONE));
        assertTrue(e.getMessage().contains("held-out images: no images"), e.getMessage());
        List<Tensor> odd = List.of(new Tensor(new long[] {3, 7, 7}, new float[147]));
        assertThrows(LdmException.class, () -> t.train(odd, odd, dir, false, VaeTrainListener.NONE));
    }

    private static Tensor stack(List<Tensor> images) {
        long[] s = images.get(0).shape();
        int per = images.get(0).data().length;
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).data(), 0, all, i * per, per);
        }
        return new Tensor(new long[] {images.size(), s[0], s[1], s[2]}, all);
    }
}
