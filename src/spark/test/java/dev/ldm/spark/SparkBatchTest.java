package dev.ldm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.batch.BatchManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ldm batch --spark local[2]} against {@code ldm batch} on a tiny model: the same files,
 * bytes and manifest, a Parquet copy, one model per task slot, re-renders from the PNG, resuming
 * after the driver's JVM is killed, a Hadoop URI as output, and bad input.
 */
class SparkBatchTest {
    @TempDir
    static Path tmp;
    static SparkTests t;
    static SparkSession spark;
    static Path out;
    static int loadsForFiveTasks;

    @BeforeAll
    static void renderOnSpark() throws Exception {
        t = new SparkTests(tmp);
        spark = t.session("local[2]");
        out = tmp.resolve("spark");
        int before = GeneratorPool.loads();
        SparkTests.Run r = t.batch(out, "--spark", "local[2]", "--partitions", "5", "--json");
        loadsForFiveTasks = GeneratorPool.loads() - before;
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rendered\": 7"), r.out());
        assertTrue(r.out().contains("\"partitions\": 5"), r.out());
        assertEquals("", r.err());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theSameFilesBytesAndManifestAsTheLocalBatch() throws Exception {
        assertEquals(SparkTests.EXPECTED, SparkTests.pngNames(out));
        for (String name : SparkTests.EXPECTED) {
            assertArrayEquals(Files.readAllBytes(t.reference.resolve(name)), Files.readAllBytes(out.resolve(name)),
                    name);
        }
        assertEquals(SparkTests.manifest(t.reference), SparkTests.manifest(out));
        assertEquals(List.of(), SparkTests.leftovers(out));
    }

    @Test
    void aCascadeRendersOnSparkAsItDoesLocally() throws Exception {
        Path cascade = tmp.resolve("cascade");
        dev.ldm.TestModels.cascade(cascade, 0.6);
        Path local = tmp.resolve("cascade-local");
        Path onSpark = tmp.resolve("cascade-spark");
        for (Path dir : List.of(local, onSpark)) {
            List<String> args = new java.util.ArrayList<>(List.of("batch", t.prompts.toString(), "--model",
                    cascade.toString(), "--out", dir.toString(), "--steps", "2", "--batch-size", "2"));
            if (dir == onSpark) {
                args.addAll(List.of("--spark", "local[2]"));
            }
            SparkTests.Run r = SparkTests.ldm(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
        }
        assertEquals(SparkTests.EXPECTED, SparkTests.pngNames(onSpark));
        for (String name : SparkTests.EXPECTED) {
            byte[] png = Files.readAllBytes(onSpark.resolve(name));
            assertArrayEquals(Files.readAllBytes(local.resolve(name)), png, name);
            assertTrue(dev.ldm.image.PngMetadata.read(onSpark.resolve(name)).get("ldm").contains("\"draft-strength\":0.6"),
                    name);
        }
        assertEquals(SparkTests.manifest(local), SparkTests.manifest(onSpark));
    }

    @Test
    void theManifestHasAParquetCopy() throws Exception {
        List<Row> rows = spark.read().parquet(out.resolve(ManifestTable.DIR).toString()).orderBy("index")
                .collectAsList();
        List<String> lines = SparkTests.manifest(out).lines().toList();
        assertEquals(lines.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            Row row = rows.get(i);
            assertEquals(o.get("file").getAsString(), row.getAs("file"));
            assertEquals(o.get("sha256").getAsString(), row.getAs("sha256"));
            assertEquals(o.get("source").getAsString(), row.getAs("source"));
            Row request = row.getAs("request");
            assertEquals(o.getAsJsonObject("request").get("prompt").getAsString(), request.getAs("prompt"));
            assertEquals(o.getAsJsonObject("request").get("seed").getAsLong(), (long) request.getAs("seed"));
        }
        assertEquals("file", spark.read().parquet(out.resolve(ManifestTable.DIR).toString()).columns()[0]);
    }

    @Test
    void theModelLoadsOncePerTaskSlotNotOncePerTask() {
        // five tasks on two task slots: at most one model per slot
        assertTrue(loadsForFiveTasks >= 1 && loadsForFiveTasks <= 2, loadsForFiveTasks + " loads");
    }

    @Test
    void anImageOfASparkBatchReRendersByteForByteFromItsPng() throws Exception {
        Path again = tmp.resolve("from-png");
        String second = "00001-a-red-circle-6.png"; // image 1 of a batch of 2
        SparkTests.Run r = SparkTests.ldm("generate", "--from-png", out.resolve(second).toString(), "--model",
                t.model.toString(), "--out", again.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names = SparkTests.pngNames(again);
        assertEquals(1, names.size());
        assertArrayEquals(Files.readAllBytes(out.resolve(second)), Files.readAllBytes(again.resolve(names.get(0))));
    }

    @Test
    void aRerunRendersNothingAndKeepsTheManifest() throws Exception {
        Path dir = tmp.resolve("rerun");
        assertEquals(0, t.batch(dir, "--spark", "local[2]").code());
        String manifest = SparkTests.manifest(dir);
        SparkTests.Run r = t.batch(dir, "--spark", "local[2]", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rendered\": 0"), r.out());
        assertTrue(r.out().contains("\"skipped\": 7"), r.out());
        assertEquals(manifest, SparkTests.manifest(dir));
        // the local batch takes over a Spark folder as its own, and the other way round
        r = t.batch(dir, "--json");
        assertTrue(r.out().contains("\"rendered\": 0"), r.out());
    }

    @Test
    @Tag("slow") // a second JVM starts Spark and loads the model: about 30 s on 2 busy cores
    void aKilledDriverLeavesWholeImagesAndTheRerunRendersTheRest() throws Exception {
        Path dir = tmp.resolve("killed");
        Path log = tmp.resolve("killed.log");
        Process child = startHeldChild(dir, log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            // two tasks, each holding after its first image
            while ((!Files.isDirectory(dir) || SparkTests.pngNames(dir).size() < 2) && child.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(child.isAlive(), () -> "the child ended: " + read(log));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> there = SparkTests.pngNames(dir);
        assertEquals(List.of("00000-a-red-circle-5.png", "00003-a-blue-star-20.png"), there, read(log));
        for (String name : there) { // whole images, the bytes of an uninterrupted run
            assertArrayEquals(Files.readAllBytes(t.reference.resolve(name)), Files.readAllBytes(dir.resolve(name)));
        }
        assertFalse(Files.exists(dir.resolve(BatchManifest.FILE)), "the manifest is written after the job");
        Files.writeString(dir.resolve(".00001-a-red-circle-6.png.4242.tmp"), "a write cut short");

        SparkTests.Run r = t.batch(dir, "--spark", "local[2]", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rendered\": 5"), r.out());
        assertTrue(r.out().contains("\"skipped\": 2"), r.out());
        assertEquals(SparkTests.EXPECTED, SparkTests.pngNames(dir));
        for (String name : SparkTests.EXPECTED) {
            assertArrayEquals(Files.readAllBytes(t.reference.resolve(name)), Files.readAllBytes(dir.resolve(name)));
        }
        assertEquals(SparkTests.manifest(t.reference), SparkTests.manifest(dir));
        assertEquals(List.of(), SparkTests.leftovers(dir));
    }

    /** {@code ldm batch --spark local[2] --partitions 2} in a child JVM whose tasks hold after one image. */
    private static Process startHeldChild(Path dir, Path log) throws Exception {
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("src/spark/jvm.options").toAbsolutePath(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Xss4m", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + childTmp, "-Dspark.local.dir=" + childTmp,
                "-D" + Faults.HOLD_AFTER + "=1", "-cp", System.getProperty("java.class.path"),
                dev.ldm.cli.Main.class.getName(), "batch", t.prompts.toString(), "--model", t.model.toString(),
                "--out", dir.toString(), "--steps", "2", "--batch-size", "2", "--spark", "local[2]",
                "--partitions", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("CI", "true");
        return pb.start();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aHadoopUriGivesTheSameImagesAndManifest() throws Exception {
        Path dir = tmp.resolve("hadoop");
        String uri = "file://" + dir.toAbsolutePath();
        SparkTests.Run r = t.batch(uri, "--spark", "local[2]", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"manifest\": \"" + uri + "/manifest.jsonl\""), r.out());
        assertEquals(SparkTests.EXPECTED, SparkTests.pngNames(dir));
        for (String name : SparkTests.EXPECTED) {
            assertArrayEquals(Files.readAllBytes(t.reference.resolve(name)), Files.readAllBytes(dir.resolve(name)));
        }
        assertEquals(SparkTests.manifest(t.reference), SparkTests.manifest(dir));
        assertEquals(List.of(), SparkTests.leftovers(dir)); // no temporary files, no checksum files
    }

    @Test
    void aFailedTaskWithoutRetriesFailsTheRunInOneLineAndTheRerunFinishesIt() throws Exception {
        Path dir = tmp.resolve("failed");
        System.setProperty(Faults.FAIL_PARTITION, "1");
        SparkTests.Run r;
        try {
            r = t.batch(dir, "--spark", "local[2]", "--partitions", "2");
        } finally {
            System.clearProperty(Faults.FAIL_PARTITION);
        }
        assertEquals(1, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("ldm: error: the Spark job failed: injected failure of partition 1"), r.err());
        assertFalse(Files.exists(dir.resolve(BatchManifest.FILE)));
        r = t.batch(dir, "--spark", "local[2]", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(SparkTests.manifest(t.reference), SparkTests.manifest(dir));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        for (String[] args : List.of(new String[] {"--spark", "local[3]"}, new String[] {"--spark", "local[2]",
                "--partitions", "-1"}, new String[] {"--spark", " "})) {
            SparkTests.Run r = t.batch(tmp.resolve("bad"), args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void anotherPromptFileInTheSameFolderKeepsTheOtherImagesLines() throws Exception {
        Path dir = tmp.resolve("shared");
        assertEquals(0, t.batch(dir, "--spark", "local[2]").code());
        Path other = tmp.resolve("other.txt");
        Files.writeString(other, "a red square --seed 77\n");
        SparkTests.Run r = SparkTests.ldm("batch", other.toString(), "--model", t.model.toString(), "--steps", "1",
                "--spark", "local[2]", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = SparkTests.manifest(dir).lines().toList();
        assertEquals(8, lines.size());
        assertTrue(lines.get(0).contains("\"file\":\"00000-a-red-square-77.png\""), lines.get(0));
        assertEquals(SparkTests.manifest(t.reference).lines().toList(), lines.subList(1, 8));
    }
}
