package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.data.ShapesDataset;
import dev.ldm.vae.VaeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's autoencoder settings (f4, batch 16, L1, lr 1e-3), run twice in separate JVMs, write
 * the same bytes: weights, ONNX files and config. Separate processes start with different native
 * heaps and a different {@code Map.of} iteration order, which in-process repeats cannot show.
 */
@Tag("slow")
class RepeatedTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void twoProcessesTrainTheSameAutoencoderBitForBit() throws Exception {
        Path data = tmp.resolve("shapes");
        ShapesDataset.generate(data, 1, 16, 0);
        Path[] outs = {tmp.resolve("a"), tmp.resolve("b")};
        for (Path out : outs) {
            Ldm.Run r = Ldm.runLimited(tmp, 1 << 22, true, "vae", "train", "--data", data.toString(), "--out",
                    out.toString(), "--preset", "f4", "--size", "16", "--steps", "6", "--batch", "16", "--loss", "l1",
                    "--lr", "1e-3");
            assertEquals(0, r.code(), r.describe());
        }
        for (String f : List.of(VaeInfo.WEIGHTS, VaeInfo.ENCODER, VaeInfo.DECODER, VaeInfo.FILE)) {
            assertArrayEquals(Files.readAllBytes(outs[0].resolve(f)), Files.readAllBytes(outs[1].resolve(f)), f);
        }
    }
}
