package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ldm.TestModels;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ldm} launcher's start-up aids (docs/RESEARCH.md, "Start-up of ldm generate"): made once per build, used
 * when they are there, and never needed: with the class-data archive missing, broken or another
 * launcher still making it, a generate renders the same PNG bytes as one run in this JVM (so
 * neither the archive nor the launcher's JIT flags change an image).
 *
 * <p>The launcher runs in a copy of an installation whose build is up to date (this build's
 * classes and jars), so it never calls Maven.
 */
@Tag("slow")
class LauncherTest {
    @TempDir
    static Path tmp;

    private static Path install;
    private static Path model;

    /** A copy of ldm with an up-to-date build: the launcher, this build's classes, the class path of its jars. */
    private static Path install() throws IOException {
        Path dir = tmp.resolve("ldm");
        Files.createDirectories(dir.resolve("src/main"));
        Files.createDirectories(dir.resolve("target"));
        Files.copy(Path.of("ldm"), dir.resolve("ldm"));
        dir.resolve("ldm").toFile().setExecutable(true);
        Files.writeString(dir.resolve("pom.xml"), "");
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        Path classes = entries.stream().map(Path::of).filter(p -> Files.isRegularFile(p.resolve("dev/ldm/cli/Main.class")))
                .findFirst().orElseThrow();
        copyTree(classes, dir.resolve("target/classes"));
        Files.writeString(dir.resolve("target/classpath.txt"),
                entries.stream().filter(e -> e.endsWith(".jar")).collect(Collectors.joining(File.pathSeparator)));
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L);
        for (Path p : List.of(dir.resolve("src/main"), dir.resolve("src"), dir.resolve("pom.xml"))) {
            Files.setLastModifiedTime(p, old);
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static ChildLdm.Run launch(Path out) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));
        env.put("LDM_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        List<String> cmd = new ArrayList<>(List.of("bash", install.resolve("ldm").toString(), "generate", "a red circle",
                "--model", model.toString(), "--seed", "5", "--steps", "4", "--out", out.toString()));
        return ChildLdm.run(tmp, env, cmd);
    }

    private static byte[] png(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".png")).toList();
            assertEquals(1, files.size(), dir.toString());
            return Files.readAllBytes(files.get(0));
        }
    }

    @Test
    void theStartUpAidsAreMadeOnceUsedAndNeverNeeded() throws Exception {
        assumeTrue(new File("/bin/bash").canExecute() || new File("/usr/bin/bash").canExecute(), "needs bash");
        install = install();
        model = TestModels.tiny(tmp.resolve("model")).dir();
        CliRunner.Run here = CliRunner.run("generate", "a red circle", "--model", model.toString(), "--seed", "5",
                "--steps", "4", "--out", tmp.resolve("here").toString());
        assertEquals(0, here.code(), here.err());
        byte[] want = png(tmp.resolve("here"));
        Path start = install.resolve("target/start");

        ChildLdm.Run first = launch(tmp.resolve("first"));
        assertEquals(0, first.code(), first.describe());
        assertTrue(first.err().contains("preparing a faster start"), first.describe());
        assertTrue(Files.isRegularFile(start.resolve("ready")));
        assertTrue(Files.isRegularFile(start.resolve("ldm.jar")), "ldm's classes as a jar");
        assertTrue(Files.isRegularFile(start.resolve("ldm.jsa")), "the class-data archive");
        assertArrayEquals(want, png(tmp.resolve("first")));

        ChildLdm.Run second = launch(tmp.resolve("second"));
        assertEquals(0, second.code(), second.describe());
        assertEquals("", second.err(), "nothing to prepare the second time");
        assertArrayEquals(want, png(tmp.resolve("second")));

        Files.write(start.resolve("ldm.jsa"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // a broken archive
        ChildLdm.Run broken = launch(tmp.resolve("broken"));
        assertEquals(0, broken.code(), broken.describe());
        assertEquals("", broken.err(), broken.describe());
        assertEquals(1, broken.out().lines().count(), broken.describe());
        assertArrayEquals(want, png(tmp.resolve("broken")));

        Files.delete(start.resolve("ldm.jsa"));
        ChildLdm.Run missing = launch(tmp.resolve("missing"));
        assertEquals(0, missing.code(), missing.describe());
        assertArrayEquals(want, png(tmp.resolve("missing")));

        // another launcher is still making them: this one runs without any
        deleteTree(start);
        Files.createDirectories(install.resolve("target/start.lock"));
        ChildLdm.Run locked = launch(tmp.resolve("locked"));
        assertEquals(0, locked.code(), locked.describe());
        assertFalse(Files.exists(start.resolve("ready")));
        assertArrayEquals(want, png(tmp.resolve("locked")));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
