package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file parsers under fuzzing ({@link ParserFuzzTargets}): the seeds and the committed
 * regression corpus ({@code src/test/resources/dev/ldm/reliability/fuzz-corpus/}: one file per
 * input worth keeping, such as one Jazzer once failed on; its first byte picks the parser modulo 5,
 * so an ASCII digit reads well: '0' prompt file, '1' manifest.jsonl, '2' safetensors, '3'
 * model.json, '4' PNG) must pass; a seeded mutation fuzzer runs in-process
 * for a bounded time; and Jazzer, a coverage-guided fuzzer (libFuzzer on the JVM, from Maven
 * Central), fuzzes all targets in a child JVM for {@value #JAZZER_SECONDS} seconds. Any input
 * that escapes with something other than a clean {@code LdmException} refusal, hangs for
 * {@value #INPUT_TIMEOUT_SECONDS} s or needs more than a {@value #HEAP_MB} MB heap fails the
 * test, which prints the input so it can be added to the regression corpus.
 */
@Tag("slow")
class ParserFuzzTest {
    static final int JAZZER_SECONDS = 10;
    static final int INPUT_TIMEOUT_SECONDS = 10;
    /** The child's heap: an input that makes a parser allocate more ends as an OutOfMemoryError finding. */
    static final int HEAP_MB = 1024;
    static final int RSS_LIMIT_MB = 3072;
    static final long MUTATION_MILLIS = 3000;

    @TempDir
    Path tmp;

    @Test
    void seedsAndRegressionCorpusPass() throws Exception {
        List<byte[]> inputs = new ArrayList<>(FuzzSeeds.all());
        inputs.addAll(regressionCorpus());
        for (byte[] in : inputs) {
            assertDoesNotThrow(() -> ParserFuzzTargets.fuzzerTestOneInput(in), () -> describe(in));
        }
    }

    /** Bit flips, interesting bytes, truncations, insertions and number swaps on every seed. */
    @Test
    void seededMutationsAreRefusedCleanly() {
        Random rng = new Random(42);
        List<byte[]> seeds = FuzzSeeds.all();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MUTATION_MILLIS);
        int runs = 0;
        while (System.nanoTime() < end) {
            byte[] in = Mutator.mutate(seeds.get(runs % seeds.size()), rng);
            try {
                ParserFuzzTargets.fuzzerTestOneInput(in);
            } catch (Throwable t) {
                fail("mutated input escaped with " + t + "\n" + describe(in), t);
            }
            runs++;
        }
        assertTrue(runs >= seeds.size(), "only " + runs + " mutations ran");
    }

    @Test
    void coverageGuidedFuzzingFindsNothing() throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        List<byte[]> seeds = new ArrayList<>(FuzzSeeds.all());
        seeds.addAll(regressionCorpus());
        for (int i = 0; i < seeds.size(); i++) {
            Files.write(corpus.resolve("seed-" + i), seeds.get(i));
        }
        Path log = tmp.resolve("jazzer.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + ParserFuzzTargets.class.getName(), "--instrumentation_includes=dev.ldm.**",
                "--reproducer_path=" + tmp, "-artifact_prefix=" + tmp + "/", "-seed=1",
                "-max_total_time=" + JAZZER_SECONDS, "-timeout=" + INPUT_TIMEOUT_SECONDS,
                "-rss_limit_mb=" + RSS_LIMIT_MB, "-max_len=65536", corpus.toString());
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(JAZZER_SECONDS + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Jazzer did not stop:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            StringBuilder findings = new StringBuilder();
            try (Stream<Path> s = Files.list(tmp)) {
                String artifact = "(crash|timeout|oom|leak)-.*";
                for (Path f : s.filter(f -> f.getFileName().toString().matches(artifact)).toList()) {
                    findings.append(f.getFileName()).append(": ").append(describe(Files.readAllBytes(f))).append('\n');
                }
            }
            fail("Jazzer found an input the parsers mishandle (add it to the regression corpus):\n" + findings
                    + tail(log));
        }
        assertTrue(Files.readString(log).contains("Done "), tail(log));
        assertEquals(0, p.exitValue());
    }

    /** The committed inputs, each a file whose first byte selects the target. */
    static List<byte[]> regressionCorpus() throws IOException, URISyntaxException {
        var url = ParserFuzzTest.class.getResource("fuzz-corpus");
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            List<byte[]> out = new ArrayList<>();
            for (Path f : s.sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
            return out;
        }
    }

    static String describe(byte[] in) {
        String target = in.length == 0 ? "none"
                : ParserFuzzTargets.TARGETS.get(Math.floorMod(in[0], ParserFuzzTargets.TARGETS.size()));
        String text = new String(in, StandardCharsets.UTF_8);
        return "target " + target + ", " + in.length + " bytes, base64 " + Base64.getEncoder().encodeToString(in)
                + (text.length() < 400 ? "\n  as text: " + text : "");
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
