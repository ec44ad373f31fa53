package dev.ldm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.TestModels;
import dev.ldm.batch.BatchManifest;
import dev.ldm.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share: a tiny model, a prompt file of 7 images in 5 sampling batches (three
 * samplers, a negative prompt, a JSON line), the local batch's output as the reference, and a Spark
 * session for the test class that keeps to this machine (no UI, driver on 127.0.0.1, scratch
 * folders in the test's temporary folder). The ldm command reuses the running session.
 */
final class SparkTests {
    static final List<String> EXPECTED = List.of("00000-a-red-circle-5.png", "00001-a-red-circle-6.png",
            "00002-a-red-circle-7.png", "00003-a-blue-star-20.png", "00004-a-blue-star-21.png",
            "00005-a-green-ring-30.png", "00006-a-black-cross-9.png");

    record Run(int code, String out, String err) {}

    final Path tmp;
    final Path model;
    final Path prompts;
    /** The local batch's output folder. */
    final Path reference;

    SparkTests(Path tmp) throws Exception {
        this.tmp = tmp;
        model = tmp.resolve("model");
        TestModels.tiny(model);
        prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "# shapes\na red circle --n 3 --seed 5\n\n"
                + "a blue star --sampler sde --n 2 --seed 20 --negative \"red, green\"\n"
                + "a green ring --cfg 1 --seed 30\n"
                + "{\"prompt\": \"a black cross\", \"seed\": 9, \"sampler\": \"heun\"}\n");
        reference = tmp.resolve("local");
        Run r = batch(reference);
        assertEquals(0, r.code(), r.err());
        assertEquals(EXPECTED, pngNames(reference));
    }

    /** A session on {@code master} that nothing outside this machine can reach. */
    SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("ldm tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", tmp.resolve("spark-local").toString())
                .config("spark.sql.warehouse.dir", tmp.resolve("spark-warehouse").toUri().toString())
                .getOrCreate();
    }

    /** {@code ldm batch prompts.txt --out OUT --steps 2 --batch-size 2 EXTRA...}, in this JVM. */
    Run batch(Path out, String... extra) {
        return batch(out.toString(), extra);
    }

    Run batch(String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("batch", prompts.toString(), "--model", model.toString(),
                "--out", out, "--steps", "2", "--batch-size", "2"));
        args.addAll(List.of(extra));
        return ldm(args.toArray(String[]::new));
    }

    static Run ldm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static List<String> pngNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }

    /** Every file whose name ends with .tmp or .crc (temporary files, Hadoop checksums). */
    static List<String> leftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".crc"))
                    .sorted().toList();
        }
    }

    static String manifest(Path dir) throws Exception {
        return Files.readString(dir.resolve(BatchManifest.FILE));
    }
}
