package dev.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/DESIGN.md, checked on the sources: package dependencies point one way (no
 * cycle), only the command line depends on the command line, the flow (samplers, schedules, loss)
 * knows no network, no package grows past 25 files, and nothing points outside the repository.
 */
class ArchitectureTest {
    /** The main sources, and those of the Maven profile spark (package dev.ldm.spark). */
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/spark/java"));
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.ldm(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

    /** package → the dev.ldm packages its code (not its comments) names. */
    static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path root : ROOTS) {
            addDependencies(root, deps);
        }
        return deps;
    }

    private static void addDependencies(Path root, Map<String, Set<String>> deps) throws IOException {
        for (Path f : javaFiles(root)) {
            String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
            String code = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
            Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    out.add(m.group(1));
                }
            }
        }
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void packageDependenciesHaveNoCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String p : deps.keySet()) {
            for (String q : deps.get(p)) {
                if (reaches(deps, q, p)) {
                    cycles.add(p + " -> " + q);
                }
            }
        }
        assertEquals(List.of(), cycles, "package dependencies that lead back to themselves");
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String to) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String x = todo.remove(todo.size() - 1);
            if (x.equals(to)) {
                return true;
            }
            if (seen.add(x)) {
                todo.addAll(deps.getOrDefault(x, Set.of()));
            }
        }
        return false;
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLineAndTheFlowKnowsNoNetwork() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        deps.forEach((pkg, uses) -> {
            if (!pkg.equals("dev.ldm.cli")) {
                assertTrue(!uses.contains("dev.ldm.cli"), pkg + " imports the command line");
            }
        });
        // io for the host Tensor samplers work on (a foundation, not a network)
        assertTrue(Set.of("dev.ldm", "dev.ldm.util", "dev.ldm.io").containsAll(deps.get("dev.ldm.flow")),
                "flow depends on " + deps.get("dev.ldm.flow"));
    }

    @Test
    void theDefaultBuildNeverNamesTheSparkPackage() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        addDependencies(ROOTS.get(0), deps); // what ./ldm compiles without the profile spark
        deps.forEach((pkg, uses) -> assertTrue(!uses.contains("dev.ldm.spark"), pkg + " uses dev.ldm.spark"));
    }

    @Test
    void noPackageHoldsMoreThanTwentyFiveFiles() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (Path root : ROOTS) {
            for (Path f : javaFiles(root)) {
                counts.merge(f.getParent().toString(), 1, Integer::sum);
            }
        }
        counts.forEach((dir, n) -> assertTrue(n <= 25, dir + " has " + n + " files"));
    }

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        List<Path> files = new ArrayList<>(javaFiles(Path.of("src")));
        files.add(Path.of("README.md"));
        files.add(Path.of("docs/DESIGN.md"));
        files.add(Path.of("docs/RESEARCH.md"));
        for (Path f : files) {
            String outside = ".." + "/shared"; // spelled apart so that this file does not match itself
            assertTrue(!Files.readString(f).contains(outside), f + " points at " + outside);
        }
    }
}
