package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.batch.BatchManifest;
import dev.ldm.vae.VaeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, made with a file-size limit ({@link Ldm#runLimited}: writes fail with "File too
 * large" as they fail with "No space left on device"): {@code generate}, {@code batch}, {@code train}
 * (latent cache, checkpoint, final weights) and {@code vae train} (ONNX export) each end with exit
 * code 1 and one error line naming the file and the problem, without a stack trace; no temporary
 * file is left, every earlier file is exactly as it was, and once there is room again the same
 * command finishes with the bytes of a run that never met a full disk.
 */
@Tag("slow")
class DiskFullTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;

    @BeforeAll
    static void fixtures() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        model = TestModels.tiny(tmp.resolve("tiny")).dir();
        data = Files.createDirectories(tmp.resolve("data"));
        for (int i = 0; i < 4; i++) {
            Files.write(data.resolve("thing_" + i + ".png"), BadImages.encode(BadImages.noise(8, 8, 70 + i), "png"));
        }
    }

    /**
     * Runs {@code args} under a {@code limitKb} KiB file-size limit and checks the failure: exit 1,
     * one line "ldm: error: ..." naming {@code file} and "file too large", no temporary file left
     * in {@code dir}, and {@code dir} otherwise exactly as {@code before}.
     */
    static void failsCleanly(Path dir, Map<String, String> before, long limitKb, String file, String... args)
            throws Exception {
        Ldm.Run r = Ldm.runLimited(tmp, limitKb, true, args);
        assertEquals(1, r.code(), r.describe());
        Expect.noStackTrace(r);
        List<String> errors = r.errLines().stream().filter(l -> !l.startsWith("step ")).toList();
        assertEquals(1, errors.size(), "not one error line: " + r.describe());
        String e = errors.get(0);
        assertTrue(e.startsWith("ldm: error: ") && e.contains(file) && e.toLowerCase(Locale.ROOT)
                .contains("file too large"), "unclear error: " + r.describe());
        assertEquals(List.of(), OutputCheck.temps(dir), "temporary files left: " + r.describe());
        Expect.unchanged(dir, before, r);
    }

    @Test
    void generateOnAFullDiskKeepsEarlierImages() throws Exception {
        Path out = tmp.resolve("gen");
        Ldm.Run r = Ldm.run("generate", "a fox", "--model", model.toString(), "--steps", "1", "--seed", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.describe());
        failsCleanly(out, Expect.files(out), 0, out.toString(), "generate", "a red fox", "--model",
                model.toString(), "--steps", "1", "--seed", "2", "--out", out.toString());
    }

    /**
     * 1 KiB lets each 600-byte PNG through but not the manifest's third line: the failed append is
     * cut back to whole lines, and the re-run ends byte-equal to an uninterrupted batch.
     */
    @Test
    void batchStoppedByAFullDiskCompletesWhenThereIsRoom() throws Exception {
        Path prompts = Files.writeString(tmp.resolve("prompts.txt"), "a red circle --n 3 --seed 5\n"
                + "a blue square --n 2\n" + "a green star --sampler sde\n");
        List<String> args = List.of("batch", prompts.toString(), "--model", model.toString(), "--steps", "1");
        Path ref = tmp.resolve("batch-ref");
        Ldm.Run r = Ldm.run(Kills.concatArray(args, "--out", ref.toString()));
        assertEquals(0, r.code(), r.describe());
        for (Path rel : OutputCheck.finalFiles(ref)) {
            long size = Files.size(ref.resolve(rel));
            assertTrue(rel.toString().endsWith(".png") ? size < 1024 : size > 1024, rel + ": " + size + " bytes");
        }
        Path work = tmp.resolve("batch-full");
        r = Ldm.runLimited(tmp, 1, true, Kills.concatArray(args, "--out", work.toString()));
        assertEquals(1, r.code(), r.describe());
        Expect.noStackTrace(r);
        assertEquals(1, r.errLines().size(), r.describe());
        assertTrue(r.errLines().get(0).startsWith("ldm: error: cannot append to " + work.resolve(BatchManifest.FILE)
                + ": file too large"), r.describe());
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left: " + r.describe());
        assertTrue(Files.readString(work.resolve(BatchManifest.FILE)).endsWith("\n"), "torn manifest line");
        OutputCheck.allComplete(work, null, "after the full disk");
        r = Ldm.run(Kills.concatArray(args, "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        assertEquals(OutputCheck.finalFiles(ref), OutputCheck.finalFiles(work));
        for (Path rel : OutputCheck.finalFiles(ref)) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(rel)), Files.readAllBytes(work.resolve(rel)), rel
                    + " differs from the uninterrupted batch's");
        }
    }

    /**
     * A full disk while {@code train} writes its latent cache (a new folder stays without files),
     * a checkpoint, and the final weights (the checkpoint of the last step is in place, as after a
     * failed final write); then, with room, the run ends with the weights of a run that had room.
     */
    @Test
    void trainOnAFullDiskKeepsTheLastCheckpointAndModel() throws Exception {
        List<String> args = List.of("train", "--data", data.toString(), "--vae", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--batch", "2", "--checkpoint-every", "2", "--sample-every", "0",
                "--resume", "--steps");
        Path fresh = Files.createDirectories(tmp.resolve("train-fresh"));
        failsCleanly(fresh, Map.of(), 0, fresh.resolve("cache").toString(),
                Kills.concatArray(args, "4", "--out", fresh.toString()));
        Path work = tmp.resolve("train-full");
        Path longer = tmp.resolve("train-6");
        for (String[] run : List.of(new String[] {"4", work.toString()}, new String[] {"6", longer.toString()})) {
            Ldm.Run r = Ldm.run(Kills.concatArray(args, run[0], "--out", run[1]));
            assertEquals(0, r.code(), r.describe());
        }
        Path checkpoint = Path.of("checkpoints", "dit", "checkpoint.safetensors");
        failsCleanly(work, Expect.files(work), 0, work.resolve(checkpoint).toString(),
                Kills.concatArray(args, "6", "--out", work.toString()));
        Files.copy(longer.resolve(checkpoint), work.resolve(checkpoint), StandardCopyOption.REPLACE_EXISTING);
        failsCleanly(work, Expect.files(work), 0, work.resolve("dit").toString(),
                Kills.concatArray(args, "6", "--out", work.toString()));
        Ldm.Run r = Ldm.run(Kills.concatArray(args, "6", "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String f : List.of("dit/model.safetensors", "dit/config.json")) {
            assertArrayEquals(Files.readAllBytes(longer.resolve(f)), Files.readAllBytes(work.resolve(f)), f);
        }
    }

    /** A full disk while {@code vae train} exports: the earlier model stays whole, and a re-run finishes it. */
    @Test
    void vaeExportOnAFullDiskKeepsTheEarlierModel() throws Exception {
        List<String> args = List.of("vae", "train", "--data", data.toString(), "--preset", "tiny", "--size", "8",
                "--batch", "2", "--checkpoint-every", "2", "--holdout", "0.25", "--resume", "--steps");
        Path work = tmp.resolve("vae-full");
        Path longer = tmp.resolve("vae-6");
        for (String[] run : List.of(new String[] {"4", work.toString()}, new String[] {"6", longer.toString()})) {
            Ldm.Run r = Ldm.run(Kills.concatArray(args, run[0], "--out", run[1]));
            assertEquals(0, r.code(), r.describe());
        }
        Path checkpoint = Path.of("checkpoints", "vae", "checkpoint.safetensors");
        Files.copy(longer.resolve(checkpoint), work.resolve(checkpoint), StandardCopyOption.REPLACE_EXISTING);
        failsCleanly(work, Expect.files(work), 0, work.resolve(VaeInfo.ENCODER).getParent().toString(),
                Kills.concatArray(args, "6", "--out", work.toString()));
        Ldm.Run r = Ldm.run(Kills.concatArray(args, "6", "--out", work.toString()));
        assertEquals(0, r.code(), r.describe());
        for (String f : List.of(VaeInfo.WEIGHTS, VaeInfo.ENCODER, VaeInfo.DECODER, VaeInfo.FILE)) {
            assertArrayEquals(Files.readAllBytes(longer.resolve(f)), Files.readAllBytes(work.resolve(f)), f);
        }
    }

    /**
     * ONNX Runtime unpacks its native library into the temporary folder at every start: on a full
     * disk that fails first, and ldm says so in one line instead of a linkage error's stack trace.
     */
    @Test
    void fullTemporaryFolderGivesOneClearLine() throws Exception {
        Path out = tmp.resolve("no-ort");
        Ldm.Run r = Ldm.runLimited(tmp, 0, false, "generate", "a fox", "--model", model.toString(), "--steps", "1",
                "--out", out.toString());
        assertEquals(1, r.code(), r.describe());
        Expect.noStackTrace(r);
        assertEquals(1, r.errLines().size(), r.describe());
        assertTrue(r.errLines().get(0).startsWith("ldm: error: cannot load ONNX Runtime's native library")
                && r.errLines().get(0).contains(tmp.resolve(".jvm").toString()), r.describe());
        assertTrue(!Files.exists(out) || OutputCheck.finalFiles(out).isEmpty(), "wrote into " + out);
    }
}
