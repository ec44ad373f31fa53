package dev.ldm.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.Generator;
import dev.ldm.io.Sha256;
import dev.ldm.onnx.Device;
import dev.ldm.request.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The part of a batch one Spark task renders, without Spark: finished images are recognised by
 * their own settings and skipped without loading the model; missing, torn or stale ones are
 * rendered again with the bytes of an uninterrupted run.
 */
class BatchSliceTest {
    @TempDir
    static Path tmp;
    static ModelFolder folder;
    static Generator generator;
    static List<BatchJob> jobs;

    @BeforeAll
    static void open() {
        folder = TestModels.tiny(tmp.resolve("model"));
        generator = Generator.open(folder, Device.CPU);
        jobs = BatchPlan.build(PromptFile.parse("a red circle --n 3 --seed 5\na blue star --sampler sde --seed 7\n",
                "p.txt", false, null), RequestOptions.NONE.with("steps", "2"), folder.manifest().defaults(), 0, 2);
    }

    @AfterAll
    static void close() {
        generator.close();
    }

    private static List<BatchSlice.Image> render(LocalStore store, Supplier<Generator> model) {
        return BatchSlice.render(jobs.iterator(), model, store, "tiny", folder.hash(), (f, n) -> { });
    }

    @Test
    void finishedImagesAreSkippedWithoutTheModelAndMissingOnesComeBackTheSame() throws Exception {
        LocalStore store = new LocalStore(tmp.resolve("out"));
        AtomicInteger asked = new AtomicInteger();
        List<BatchSlice.Image> first = render(store, () -> {
            asked.incrementAndGet();
            return generator;
        });
        assertEquals(3, asked.get(), "once per batch with an image missing");
        assertEquals(List.of(0, 1, 2, 3), first.stream().map(BatchSlice.Image::index).toList());
        assertTrue(first.stream().allMatch(BatchSlice.Image::rendered));
        for (BatchSlice.Image img : first) {
            String name = jobs.stream().flatMap(j -> java.util.stream.IntStream.range(0, j.request().n())
                    .filter(i -> j.firstIndex() + i == img.index()).mapToObj(j::fileName)).findFirst().orElseThrow();
            assertEquals(Sha256.file(store.resolve(name)), img.sha256());
        }

        List<BatchSlice.Image> again = render(store, () -> {
            throw new AssertionError("the model is not needed when every image is there");
        });
        assertEquals(first.stream().map(BatchSlice.Image::sha256).toList(),
                again.stream().map(BatchSlice.Image::sha256).toList());
        assertFalse(again.stream().anyMatch(BatchSlice.Image::rendered));

        String second = jobs.get(0).fileName(1); // image 1 of the first batch of 2
        String fourth = jobs.get(2).fileName(0);
        byte[] secondBytes = Files.readAllBytes(store.resolve(second));
        byte[] fourthBytes = Files.readAllBytes(store.resolve(fourth));
        Files.delete(store.resolve(second));
        Files.write(store.resolve(fourth), Arrays.copyOf(fourthBytes, fourthBytes.length - 20)); // torn
        List<BatchSlice.Image> resumed = render(store, () -> generator);
        assertEquals(List.of(false, true, false, true), resumed.stream().map(BatchSlice.Image::rendered).toList());
        assertArrayEquals(secondBytes, Files.readAllBytes(store.resolve(second)));
        assertArrayEquals(fourthBytes, Files.readAllBytes(store.resolve(fourth)));
    }

    @Test
    void anImageWithOtherSettingsUnderThePlannedNameIsRenderedAgain() throws Exception {
        LocalStore store = new LocalStore(tmp.resolve("stale"));
        render(store, () -> generator);
        String name = jobs.get(2).fileName(0);
        byte[] planned = Files.readAllBytes(store.resolve(name));
        ManifestEntry entry = jobs.get(2).entry(0, "tiny", folder.hash());
        assertTrue(entry.isRecordedIn(planned));
        assertFalse(entry.isRecordedIn(Files.readAllBytes(store.resolve(jobs.get(0).fileName(0)))));
        assertFalse(jobs.get(2).entry(0, "tiny", "0123456789").isRecordedIn(planned), "another model hash");
        Files.copy(store.resolve(jobs.get(0).fileName(0)), store.resolve(name),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<BatchSlice.Image> r = render(store, () -> generator);
        assertEquals(List.of(false, false, false, true), r.stream().map(BatchSlice.Image::rendered).toList());
        assertArrayEquals(planned, Files.readAllBytes(store.resolve(name)));
    }
}
