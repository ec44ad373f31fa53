package dev.ldm.reliability;

import dev.ldm.LdmException;
import dev.ldm.batch.BatchManifest;
import dev.ldm.batch.BatchPlan;
import dev.ldm.batch.PromptFile;
import dev.ldm.batch.PromptLine;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.io.Safetensors;
import dev.ldm.request.RequestOptions;
import dev.ldm.request.StoredSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The parsers that read files from anywhere, as one fuzz target: the first byte picks the parser
 * (so one coverage-guided run covers all of them), the rest is the file. A parser may accept its
 * input or refuse it with {@link LdmException}; any other exception, a hang or unbounded memory is
 * a finding. Jazzer calls {@link #fuzzerTestOneInput} in a child JVM; {@link ParserFuzzTest} calls
 * it directly for the seeds, the regression corpus and seeded mutations.
 */
public final class ParserFuzzTargets {
    /** Parser names, indexed by the first input byte modulo their count. */
    static final List<String> TARGETS = List.of("safetensors", "model.json", "png", "prompts", "manifest.jsonl");
    private static final ModelManifest.Defaults DEFAULTS = new ModelManifest.Defaults(8, 2, 3.0, "euler", 1.0);
    private static Path dir;

    private ParserFuzzTargets() {}

    /** Jazzer's entry point. */
    public static void fuzzerTestOneInput(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (Math.floorMod(input[0], TARGETS.size())) {
                case 0 -> Safetensors.readAll(write("model.safetensors", file));
                case 1 -> modelFolder(file);
                case 2 -> StoredSettings.read(write("image.png", file)).describe();
                case 3 -> prompts(file);
                default -> manifest(file);
            }
        } catch (LdmException refused) {
            // a clean refusal is a correct answer
        }
    }

    /** {@code model.json} through the same reader {@code ldm generate} uses (parse and validate). */
    private static void modelFolder(byte[] json) {
        Path model = folder("model");
        write("model/model.json", json);
        ModelFolder.open(model);
    }

    /**
     * A prompt file parsed, then planned into sampling batches with every request validated (unless a
     * line names an init image, which would make the fuzzer read files by name).
     */
    private static void prompts(byte[] text) {
        boolean jsonl = text.length > 0 && (text[0] & 1) == 1;
        List<PromptLine> lines = PromptFile.parse(new String(text, StandardCharsets.UTF_8), "p.txt", jsonl, null);
        if (lines.stream().allMatch(l -> l.options().initImage() == null)) {
            BatchPlan.build(lines, RequestOptions.NONE, DEFAULTS, 7, 4);
        }
    }

    /** A batch folder's manifest.jsonl loaded and repaired, as a re-run of {@code ldm batch} does. */
    private static void manifest(byte[] jsonl) {
        Path out = folder("batch");
        write("batch/" + BatchManifest.FILE, jsonl);
        try (BatchManifest m = BatchManifest.open(out)) {
            m.sourceFiles();
        }
    }

    private static synchronized Path folder(String name) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("ldm-fuzz");
            }
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] bytes) {
        Path p = folder(".").resolve(name);
        try {
            Files.createDirectories(p.getParent());
            return Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
