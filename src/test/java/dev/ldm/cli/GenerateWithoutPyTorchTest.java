package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the DiT in ONNX Runtime (the default), {@code ldm generate} needs no PyTorch at all: a JVM
 * whose class path lacks DJL's PyTorch engine renders the same PNG bytes as this JVM, and fails
 * only when asked for the DJL runtime (so the engine really is missing there).
 */
class GenerateWithoutPyTorchTest {
    @TempDir
    static Path tmp;

    private static String[] args(Path model, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("generate", "a red circle", "--model", model.toString(), "--seed", "11",
                "--steps", "6", "--n", "2", "--sampler", "sde", "--negative", "blue", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<Path> pngs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void aClassPathWithoutPyTorchRendersTheSameBytes() throws Exception {
        Path model = TestModels.tiny(tmp.resolve("model")).dir();
        CliRunner.Run here = CliRunner.run(args(model, tmp.resolve("here")));
        assertEquals(0, here.code(), here.err());

        String full = System.getProperty("java.class.path");
        String noTorch = Arrays.stream(full.split(File.pathSeparator))
                .filter(e -> !e.replace('\\', '/').contains("/ai/djl/pytorch/"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(noTorch.length() < full.length(), "the test class path holds DJL's PyTorch engine");

        ChildLdm.Run child = ChildLdm.run(tmp, Map.of(), ChildLdm.java(tmp, noTorch, args(model, tmp.resolve("child"))));
        assertEquals(0, child.code(), child.describe());
        List<Path> a = pngs(tmp.resolve("here"));
        List<Path> b = pngs(tmp.resolve("child"));
        assertEquals(2, a.size());
        assertEquals(a.stream().map(p -> p.getFileName().toString()).toList(),
                b.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), a.get(i).getFileName().toString());
        }

        ChildLdm.Run djl = ChildLdm.run(tmp, Map.of(), ChildLdm.java(tmp, noTorch,
                args(model, tmp.resolve("djl"), "--dit-runtime", "djl")));
        assertNotEquals(0, djl.code(), djl.describe());
    }
}
