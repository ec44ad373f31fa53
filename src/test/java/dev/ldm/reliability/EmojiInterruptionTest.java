package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during {@code ldm data emoji}, built from a fake package tree ({@link FakeEmojiTree},
 * passed with {@code --packages}, so no npm runs): {@value Kills#DEFAULT} kills at seeded moments
 * by default ({@code -Dldm.kills=N}, see {@link Kills}); after each, every PNG, caption and JSON
 * file is complete or absent, and a re-run deletes the killed writes' temporary files and
 * completes the set with exactly the files of an uninterrupted build.
 */
@Tag("slow")
class EmojiInterruptionTest {
    static final long SEED = 20_240_603L;

    @TempDir
    static Path tmp;

    @Test
    void emojiBuildKilledAtRandomMomentsCompletesToTheSameFiles() throws Exception {
        Path prefix = tmp.resolve("npm");
        FakeEmojiTree.write(prefix, Math.max(8, 2 * Kills.COUNT));
        Path ref = tmp.resolve("emoji-ref");
        Path work = tmp.resolve("emoji-killed");
        Ldm.Run r = Ldm.run(args(prefix, ref).toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        int total = pngs(ref.toFile());
        assertTrue(total >= 6 * Kills.COUNT, "only " + total + " images planned:\n" + r.describe());
        new Kills(tmp, SEED).loop(args(prefix, work), work, null, Kills.files(() -> pngs(work.toFile())), 3);
        r = Ldm.run(args(prefix, work).toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertEquals(List.of(), OutputCheck.temps(work), "temporary files left after the final run");
        OutputCheck.allComplete(work, null, "after the final run");
        assertEquals(OutputCheck.finalFiles(ref), OutputCheck.finalFiles(work));
        for (Path rel : OutputCheck.finalFiles(ref)) {
            assertArrayEquals(Files.readAllBytes(ref.resolve(rel)), Files.readAllBytes(work.resolve(rel)),
                    rel + " differs from the uninterrupted build's");
        }
    }

    static List<String> args(Path prefix, Path out) {
        return List.of("data", "emoji", "--packages", prefix.toString(), "--size", "16", "--out", out.toString());
    }

    /** PNGs below {@code dir}, by name (a child may be renaming files while this looks). */
    static int pngs(File dir) {
        File[] files = dir.listFiles();
        int n = 0;
        for (File f : files == null ? new File[0] : files) {
            String name = f.getName();
            n += f.isDirectory() ? pngs(f) : name.endsWith(".png") && !name.startsWith(".") ? 1 : 0;
        }
        return n;
    }
}
