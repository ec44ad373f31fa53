package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.request.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    private static final ModelManifest.Defaults DEFAULTS = new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0);

    private static List<BatchJob> plan(String text, RequestOptions command, long seed, int batchSize) {
        return BatchPlan.build(PromptFile.parse(text, "p.txt", false, null), command, DEFAULTS, seed, batchSize);
    }

    @Test
    void lineOverridesBeatCommandOptionsWhichBeatModelDefaults() {
        RequestOptions command = RequestOptions.NONE.with("steps", "5").with("cfg", "2");
        List<BatchJob> jobs = plan("a red circle --cfg 7\na blue star --sampler HEUN", command, 0, 8);
        GenerateRequest a = jobs.get(0).request();
        GenerateRequest b = jobs.get(1).request();
        assertEquals(5, a.steps());
        assertEquals(7.0, a.cfg());
        assertEquals(2.0, b.cfg());
        assertEquals("heun", b.sampler());
        assertEquals(8, a.size());
        assertEquals("euler", a.sampler());
    }

    @Test
    void seedsAreDerivedFromTheBaseSeedAndPromptPosition() {
        String text = "a\nb --seed 11\nc";
        List<BatchJob> x = plan(text, RequestOptions.NONE, 0, 8);
        List<BatchJob> y = plan("# a comment shifts line numbers, not positions\n" + text, RequestOptions.NONE, 0, 8);
        List<BatchJob> z = plan(text, RequestOptions.NONE, 1, 8);
        assertEquals(x.get(0).request().seed(), y.get(0).request().seed());
        assertEquals(x.get(2).request().seed(), y.get(2).request().seed());
        assertEquals(11, x.get(1).request().seed());
        assertNotEquals(x.get(0).request().seed(), x.get(2).request().seed());
        assertNotEquals(x.get(0).request().seed(), z.get(0).request().seed());
        assertEquals(BatchPlan.lineSeed(0, 2), x.get(2).request().seed());
        assertTrue(x.get(0).request().seed() >= 0 && x.get(0).request().seed() < (1L << 32));
    }

    @Test
    void imagesAreSplitIntoBatchesWithFileWideIndices() {
        List<BatchJob> jobs = plan("a red circle --n 5 --seed 100\na blue star --n 2 --seed 7", RequestOptions.NONE,
                0, 2);
        assertEquals(4, jobs.size());
        assertEquals(List.of(0, 2, 4, 5), jobs.stream().map(BatchJob::firstIndex).toList());
        assertEquals(List.of(2, 2, 1, 2), jobs.stream().map(j -> j.request().n()).toList());
        assertEquals(List.of(100L, 102L, 104L, 7L), jobs.stream().map(j -> j.request().seed()).toList());
        assertEquals("00003-a-red-circle-103.png", jobs.get(1).fileName(1));
        assertEquals("00006-a-blue-star-8.png", jobs.get(3).fileName(1));
        ManifestEntry e = jobs.get(1).entry(1, "m", "h");
        assertEquals(new BatchOrigin(102, 2, 1), e.batch());
        assertEquals(103, e.request().seed());
        assertEquals(1, e.request().n());
    }

    @Test
    void fileNamesStayInsideTheFolder() {
        String text = "../../etc/passwd --seed -5\n\u00c9t\u00e9 \u00e0 Paris/\\:*?\n\u732b";
        List<BatchJob> jobs = plan(text, RequestOptions.NONE, 0, 8);
        assertEquals("00000-etc-passwd--5.png", jobs.get(0).fileName(0));
        assertEquals("00001-ete-a-paris-" + jobs.get(1).request().seed() + ".png", jobs.get(1).fileName(0));
        assertTrue(jobs.get(2).fileName(0).startsWith("00002-image-"));
        for (BatchJob j : jobs) {
            assertTrue(j.fileName(0).matches("[0-9]{5}-[a-z0-9-]+-?[0-9]+\\.png"), j.fileName(0));
        }
    }

    @Test
    void invalidLineSettingsNameTheLine() {
        LdmException e = assertThrows(LdmException.class, () -> plan("ok\n\nbad --steps 0", RequestOptions.NONE, 0, 8));
        assertTrue(e.getMessage().startsWith("p.txt:3: --steps"), e.getMessage());
        e = assertThrows(LdmException.class, () -> plan("x --sampler ddim", RequestOptions.NONE, 0, 8));
        assertTrue(e.getMessage().startsWith("p.txt:1: sampler 'ddim'"), e.getMessage());
        e = assertThrows(LdmException.class, () -> plan("x --strength 0.5", RequestOptions.NONE, 0, 8));
        assertTrue(e.getMessage().contains("--init-image"), e.getMessage());
        assertThrows(LdmException.class, () -> plan("x", RequestOptions.NONE, 0, 0));
    }
}
