package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data → vae train → train → generate, in-process, with 2-step settings. */
class TrainingCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void wholeChainRunsFromTheCommandLine() throws Exception {
        Path data = tmp.resolve("data");
        Path model = tmp.resolve("model");
        CliRunner.Run r = CliRunner.run("data", "shapes", "--out", data.toString(), "--per-pair", "1", "--size", "8");
        assertEquals(0, r.code(), r.err());
        try (var files = Files.walk(data)) { // a second phrasing per image: training draws one per sample
            for (Path txt : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                Files.writeString(txt, Files.readString(txt).strip() + "\na shape\n");
            }
        }
        r = CliRunner.run("vae", "train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--steps", "2", "--batch", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(model.resolve("vae_decoder/model.onnx")));
        r = CliRunner.run("train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", "2", "--batch", "4", "--sample-every", "2",
                "--sample-prompts", "a red circle");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(model.resolve("model.json")));
        assertTrue(Files.isRegularFile(model.resolve("samples/step-0000002.png")));
        r = CliRunner.run("train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", "3", "--batch", "4", "--resume", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 2"), r.out());
        r = CliRunner.run("generate", "a red circle", "--steps", "2", "--model", model.toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void emptyOrMissingDataFolderIsBadInput() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("empty/readme.txt"), "no images");
        CliRunner.Run r = CliRunner.run("vae", "train", "--data", tmp.resolve("empty").toString(), "--out",
                tmp.resolve("m").toString(), "--preset", "tiny", "--size", "8", "--steps", "1");
        assertEquals(2, r.code(), r.err());
        r = CliRunner.run("train", "--data", tmp.resolve("missing").toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        r = CliRunner.run("train", "--data", tmp.resolve("empty").toString(), "--out", tmp.resolve("m").toString(),
                "--steps", "0");
        assertEquals(2, r.code(), r.err());
    }
}
