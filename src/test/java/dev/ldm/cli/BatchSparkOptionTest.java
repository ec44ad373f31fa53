package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ldm batch --spark} where Spark is not on the class path (what {@code ./ldm} builds unless
 * LDM_SPARK=1), and the Spark options' errors that need no Spark.
 */
class BatchSparkOptionTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path prompts;

    @BeforeAll
    static void files() throws Exception {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        prompts = tmp.resolve("p.txt");
        Files.writeString(prompts, "a red circle\n");
    }

    @Test
    void withoutSparkTheOptionSaysInOneLineHowToEnableIt() throws Exception {
        String withoutSpark = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("/org/apache/spark/")).collect(Collectors.joining(File.pathSeparator));
        Path out = tmp.resolve("out");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", withoutSpark,
                Main.class.getName(), "batch", prompts.toString(), "--model", model.toString(), "--out",
                out.toString(), "--spark", "local[2]");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("ldm: error: --spark needs Apache Spark") && err.contains("LDM_SPARK=1"), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void sparkOptionsAndUrisWithoutSparkAreRefused() {
        Path out = tmp.resolve("refused");
        CliRunner.Run r = CliRunner.run("batch", prompts.toString(), "--model", model.toString(), "--out",
                out.toString(), "--partitions", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--partitions needs --spark"), r.err());
        r = CliRunner.run("batch", prompts.toString(), "--model", model.toString(), "--out", "hdfs://nn/out");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out hdfs://nn/out: a file-system URI needs --spark"), r.err());
        assertFalse(Files.exists(out));
    }
}
