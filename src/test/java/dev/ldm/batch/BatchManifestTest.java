package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchManifestTest {
    @TempDir
    Path dir;

    private static final BatchJob JOB = new BatchJob("p.txt:1", "p.txt:1",
            new GenerateRequest("a red circle", "", 2, 3.0, 10, 3, 8, "euler", 1.0), 0);

    /** Writes fake PNG bytes for image i and returns its complete entry. */
    private ManifestEntry write(int i) throws Exception {
        ManifestEntry e = JOB.entry(i, "m", "h");
        byte[] bytes = ("png " + i).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(e.file()), bytes);
        return e.withSha256(Sha256.hex(bytes));
    }

    private List<String> manifestLines() throws Exception {
        return Files.readAllLines(dir.resolve(BatchManifest.FILE));
    }

    private List<ManifestEntry> planned() {
        return List.of(JOB.entry(0, "m", "h"), JOB.entry(1, "m", "h"), JOB.entry(2, "m", "h"));
    }

    @Test
    void appendedLinesAreKeptAndMatchTheirPlan() throws Exception {
        try (BatchManifest m = BatchManifest.open(dir)) {
            m.append(write(0));
            m.append(write(1));
        }
        try (BatchManifest m = BatchManifest.open(dir)) {
            assertEquals(0, m.dropped());
            assertEquals(Set.of(JOB.fileName(0), JOB.fileName(1)), m.reconcile(planned()));
        }
        assertEquals(2, manifestLines().size());
    }

    @Test
    void tornInvalidDuplicateAndOrphanLinesAreDroppedAtomically() throws Exception {
        String good0 = write(0).toJsonLine();
        String good1 = write(1).toJsonLine();
        ManifestEntry e2 = write(2);
        Files.delete(dir.resolve(e2.file()));          // PNG gone: its line is an orphan
        String text = good0 + "\n" + "not json\n" + good0 + "\n" + e2.toJsonLine() + "\n" + good1.substring(0, 30);
        Files.writeString(dir.resolve(BatchManifest.FILE), text);
        try (BatchManifest m = BatchManifest.open(dir)) {
            assertEquals(4, m.dropped());
            assertEquals(1, m.size());
        }
        assertEquals(List.of(good0), manifestLines());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void aPngThatNoLongerMatchesItsHashIsNotDone() throws Exception {
        ManifestEntry e = write(0);
        try (BatchManifest m = BatchManifest.open(dir)) {
            m.append(e);
        }
        Files.writeString(dir.resolve(e.file()), "replaced");
        try (BatchManifest m = BatchManifest.open(dir)) {
            assertEquals(1, m.dropped());
            assertEquals(Set.of(), m.reconcile(planned()));
        }
    }

    @Test
    void staleSettingsAreDroppedAndFinishSortsByPlan() throws Exception {
        ManifestEntry e0 = write(0);
        ManifestEntry e1 = write(1);
        try (BatchManifest m = BatchManifest.open(dir)) {
            m.append(e1);
            m.append(e0);
        }
        try (BatchManifest m = BatchManifest.open(dir)) {
            List<ManifestEntry> otherModel = List.of(JOB.entry(0, "m", "other"), JOB.entry(1, "m", "h"));
            assertEquals(Set.of(JOB.fileName(1)), m.reconcile(otherModel));
            m.append(e0);
            m.finish(List.of(e0.file(), e1.file()));
        }
        assertEquals(List.of(e0.toJsonLine(), e1.toJsonLine()), manifestLines());
    }

    @Test
    void sourceFilesNameThePromptFilesOfTheRecordedImages() throws Exception {
        try (BatchManifest m = BatchManifest.open(dir)) {
            assertEquals(Set.of(), m.sourceFiles());
            m.append(write(0));
            assertEquals(Set.of("p.txt"), m.sourceFiles());
        }
    }

    @Test
    void oneBatchAtATimePerFolder() {
        try (BatchManifest m = BatchManifest.open(dir)) {
            LdmException e = assertThrows(LdmException.class, () -> BatchManifest.open(dir));
            assertTrue(e.getMessage().contains("another ldm batch"), e.getMessage());
        }
        BatchManifest.open(dir).close();
    }
}
