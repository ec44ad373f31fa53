package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest a Spark run writes after its job, from the plan and what an older manifest says. */
class ManifestTextTest {
    @TempDir
    Path tmp;

    private static ManifestEntry entry(String file, int index, String source, String sha) {
        GenerateRequest r = new GenerateRequest("a red circle", "", 2, 3.0, 5 + index, 1, 8, "euler", 1.0);
        return new ManifestEntry(file, index, source, r, BatchOrigin.single(5 + index), "tiny", "abc", sha);
    }

    @Test
    void plannedLinesComeFirstThenOtherImagesStillThere() throws Exception {
        LocalStore store = new LocalStore(tmp);
        byte[] kept = "kept png".getBytes(StandardCharsets.UTF_8);
        Files.write(tmp.resolve("00009-kept-1.png"), kept);
        Files.write(tmp.resolve("00008-changed-1.png"), "changed since".getBytes(StandardCharsets.UTF_8));
        String old = entry("00000-a-red-circle-5.png", 0, "p.txt:1", "old").toJsonLine() + "\n"
                + entry("00009-kept-1.png", 9, "q.txt:3", Sha256.hex(kept)).toJsonLine() + "\n"
                + entry("00009-kept-1.png", 9, "q.txt:3", "repeated").toJsonLine() + "\n"
                + entry("00008-changed-1.png", 8, "q.txt:2", Sha256.hex(kept)).toJsonLine() + "\n"
                + entry("00007-gone-1.png", 7, "q.txt:1", Sha256.hex(kept)).toJsonLine() + "\n"
                + "not json\n"
                + "{\"file\": \"00006-torn";
        ManifestText m = ManifestText.parse(old.getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("p.txt", "q.txt"), m.sourceFiles());
        List<ManifestEntry> planned = List.of(entry("00000-a-red-circle-5.png", 0, "p.txt:1", "new"),
                entry("00001-a-red-circle-6.png", 1, "p.txt:1", "new1"));
        String text = m.assemble(planned, store);
        assertEquals(planned.get(0).toJsonLine() + "\n" + planned.get(1).toJsonLine() + "\n"
                + entry("00009-kept-1.png", 9, "q.txt:3", Sha256.hex(kept)).toJsonLine() + "\n", text);
        // torn, not json, repeated, stale (other hash), changed PNG, gone PNG
        assertEquals(6, m.dropped());
        assertEquals(0, ManifestText.parse(null).dropped());
    }
}
