package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Tensor;
import dev.ldm.optim.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary files a killed write leaves (kill -9 and Ctrl-C run no cleanup) are deleted by the
 * next write of the same target ({@link Checkpoint#save}: a checkpoint's can be gigabytes) or by a
 * resumed build ({@link AtomicFiles#removeAllLeftovers}), and nothing else is: not other targets'
 * temporary files, not hidden files of other shapes.
 */
class LeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckpointSaveDeletesTheTemporaryFilesOfKilledSavesOnly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("checkpoints"));
        List<String> leftovers = List.of(".checkpoint.safetensors.123.tmp", ".checkpoint.safetensors.98765432.tmp");
        List<String> others = List.of(".model.safetensors.123.tmp", ".checkpoint.safetensors.abc.tmp",
                "checkpoint.safetensors.123.tmp", ".checkpoint.safetensors.123.tmp.keep");
        for (String n : concat(leftovers, others)) {
            Files.writeString(dir.resolve(n), "partial");
        }
        Map<String, Tensor> w = Map.of("w", new Tensor(new long[] {2}, new float[] {1, 2}));
        Checkpoint.save(dir, new Checkpoint.State(3, w, w, w, Map.of()));
        assertEquals(names(concat(others, List.of(Checkpoint.FILE))), names(dir));
        assertEquals(3, Checkpoint.load(dir).step());
    }

    @Test
    void aResumedBuildDeletesEveryLeftoverBelowItsFolder() throws Exception {
        Path out = tmp.resolve("set");
        Path deep = Files.createDirectories(out.resolve("heldout/style/noto"));
        Files.writeString(out.resolve(".split.json.4.tmp"), "{");
        Files.writeString(deep.resolve(".1F98A.png.77.tmp"), "png");
        Files.writeString(deep.resolve("1F98A.png"), "png");
        Files.writeString(deep.resolve(".hidden"), "mine");
        AtomicFiles.removeAllLeftovers(out);
        AtomicFiles.removeAllLeftovers(tmp.resolve("absent"));
        assertEquals(new TreeSet<>(List.of("1F98A.png", ".hidden")), names(deep));
        assertEquals(new TreeSet<>(List.of("heldout")), names(out));
    }

    private static TreeSet<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static TreeSet<String> names(List<String> names) {
        return new TreeSet<>(names);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
