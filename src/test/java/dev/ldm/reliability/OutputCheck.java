package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import dev.ldm.batch.BatchManifest;
import dev.ldm.image.Images;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What "every file is complete or absent" means for the files ldm writes, checked after a kill:
 * each PNG decodes, each safetensors file parses with its data region exactly covered, each JSON
 * file parses, each text file (captions, prompt lists, NOTICE) ends its last line, each complete
 * manifest line parses and names a PNG with the recorded SHA-256, and copied ONNX files equal
 * their source. Only ldm's own temporary files ({@code .NAME.RANDOM.tmp})
 * may be partial.
 */
final class OutputCheck {
    private OutputCheck() {}

    /** Files below {@code dir} that are not temporaries or lock files, as relative paths. */
    static List<Path> finalFiles(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !isTemp(p) && !p.getFileName().toString().equals(
                    ".manifest.lock")).map(dir::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ldm's temporary files: {@code .NAME.RANDOM.tmp}, never read by ldm. */
    static boolean isTemp(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".tmp");
    }

    static List<Path> temps(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(OutputCheck::isTemp).toList();
        }
    }

    /**
     * Fails unless every final file below {@code dir} is complete; {@code onnxSource} is the folder
     * copied ONNX files must equal (or null).
     */
    static void allComplete(Path dir, Path onnxSource, String when) throws IOException {
        for (Path rel : finalFiles(dir)) {
            Path p = dir.resolve(rel);
            String name = p.getFileName().toString();
            try {
                if (name.endsWith(".png")) {
                    Images.read(p);
                } else if (name.endsWith(".safetensors")) {
                    Safetensors.readAll(p);
                } else if (name.endsWith(".json")) {
                    JsonParser.parseString(Files.readString(p)).getAsJsonObject();
                } else if (name.equals(BatchManifest.FILE)) {
                    manifestLinesNameCompletePngs(p);
                } else if (name.endsWith(".txt") || name.equals("NOTICE")) {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    assertTrue(text.endsWith("\n"), rel + " does not end its last line " + when);
                } else if (name.endsWith(".onnx") && onnxSource != null) {
                    assertEquals(Sha256.file(onnxSource.resolve(rel)), Sha256.file(p), rel + " " + when);
                }
            } catch (RuntimeException e) {
                fail(when + ": " + rel + " is not complete: " + e, e);
            }
        }
    }

    /** Every line that ends in a newline parses and names a PNG with the recorded bytes. */
    static void manifestLinesNameCompletePngs(Path manifest) throws IOException {
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline: empty, or a torn append the next run drops
        for (String line : lines) {
            var o = JsonParser.parseString(line).getAsJsonObject();
            Path png = manifest.resolveSibling(o.get("file").getAsString());
            assertEquals(o.get("sha256").getAsString(), Sha256.file(png), "manifest line for " + png);
        }
    }
}
