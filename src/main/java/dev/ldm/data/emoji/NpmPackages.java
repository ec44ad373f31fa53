package dev.ldm.data.emoji;

import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The npm packages the emoji data set is built from, at the exact versions pinned in
 * {@code emoji-packages.json} beside this class, installed with the ordinary npm client into a
 * cache folder ({@code npm install --no-save --prefix DIR name@version ...}). An install whose
 * {@code package.json} versions already match is reused, so npm runs once per machine. ldm itself
 * never downloads anything.
 */
public final class NpmPackages {
    /** The pinned package list of the PNG source (a classpath resource). */
    public static final String RESOURCE = "emoji-packages.json";
    /** The pinned package list of the SVG source: Iconify JSON sets and the labels. */
    public static final String SVG_RESOURCE = "iconify-packages.json";
    /** Longest an npm install may take (the packages are about 230 MB). */
    static final long TIMEOUT_MINUTES = 30;

    /** One package at an exact version. */
    public record Package(String name, String version) {
        public Package {
            if (name == null || !name.matches("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*")) {
                throw new IllegalArgumentException("not an npm package name: " + name);
            }
            if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+")) {
                throw new IllegalArgumentException(name + ": pin an exact version, not '" + version + "'");
            }
        }

        /** {@code name@version}, as npm takes it. */
        public String spec() {
            return name + "@" + version;
        }
    }

    private record Pins(List<Package> packages) {}

    private final List<String> npmCommand;

    /** @param npmCommand the npm executable and any leading arguments (tests pass a missing one) */
    public NpmPackages(List<String> npmCommand) {
        if (npmCommand.isEmpty()) {
            throw new IllegalArgumentException("empty npm command");
        }
        this.npmCommand = List.copyOf(npmCommand);
    }

    /** The system's npm ({@code npm.cmd} on Windows). */
    public static NpmPackages system() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return new NpmPackages(List.of(windows ? "npm.cmd" : "npm"));
    }

    /** The default cache folder: {@code ~/.cache/ldm/npm}. */
    public static Path defaultPrefix() {
        return Path.of(System.getProperty("user.home"), ".cache", "ldm", "npm");
    }

    /** The packages pinned in the project for the PNG source. */
    public static List<Package> pinned() {
        return pinned(RESOURCE);
    }

    /** The packages pinned in one of ldm's package lists ({@link #RESOURCE}, {@link #SVG_RESOURCE}). */
    public static List<Package> pinned(String resource) {
        try (InputStream in = NpmPackages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " missing from the ldm jar");
            }
            Pins pins = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Pins.class, resource);
            return List.copyOf(pins.packages());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
    }

    /** Every package of every list, each once, in list order. */
    static List<Package> allPinned() {
        java.util.LinkedHashSet<Package> all = new java.util.LinkedHashSet<>(pinned(RESOURCE));
        all.addAll(pinned(SVG_RESOURCE));
        return List.copyOf(all);
    }

    /** The version in {@code PREFIX/node_modules/NAME/package.json}, if that file exists and has one. */
    public static Optional<String> installedVersion(Path prefix, Package p) {
        Path file = prefix.resolve("node_modules").resolve(p.name()).resolve("package.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonObject o = Json.parse(Json.readText(file), JsonObject.class, file.toString());
        return o.has("version") && o.get("version").isJsonPrimitive()
                ? Optional.of(o.get("version").getAsString()) : Optional.empty();
    }

    /** The packages missing from {@code prefix} or installed at another version. */
    public static List<Package> stale(Path prefix, List<Package> packages) {
        return packages.stream().filter(p -> !installedVersion(prefix, p).equals(Optional.of(p.version()))).toList();
    }

    /**
     * Makes sure every package is installed in {@code prefix} at its pinned version, running npm for
     * those that are not, and returns {@code prefix/node_modules}. npm removes from the prefix every
     * package its command line does not name (measured with npm 11: installing emojibase-data alone
     * removed nine others), so the install names the wanted packages and every pinned package already
     * there: the PNG and SVG sources share one cache without undoing each other.
     */
    public Path ensure(Path prefix, List<Package> packages, Consumer<String> log) {
        List<Package> stale = stale(prefix, packages);
        if (!stale.isEmpty()) {
            log.accept("installing " + String.join(" ", stale.stream().map(Package::spec).toList())
                    + " with npm into " + prefix);
            java.util.LinkedHashSet<Package> named = new java.util.LinkedHashSet<>(packages);
            allPinned().stream().filter(p -> installedVersion(prefix, p).equals(Optional.of(p.version())))
                    .forEach(named::add);
            install(prefix, List.copyOf(named));
            List<Package> still = stale(prefix, packages);
            if (!still.isEmpty()) {
                throw LdmException.failure("npm finished but " + still.get(0).spec() + " is not in "
                        + prefix.resolve("node_modules") + " (found " + installedVersion(prefix, still.get(0))
                        .orElse("nothing") + ")", null);
            }
        }
        return prefix.resolve("node_modules");
    }

    private void install(Path prefix, List<Package> packages) {
        List<String> cmd = new ArrayList<>(npmCommand);
        cmd.addAll(List.of("install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix.toString()));
        packages.forEach(p -> cmd.add(p.spec()));
        Process process;
        try {
            Files.createDirectories(prefix);
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw LdmException.badInput("cannot run '" + npmCommand.get(0) + "' (" + e.getMessage()
                    + "): install Node.js and npm (https://nodejs.org), or pass --packages DIR holding "
                    + "node_modules with the pinned packages", e);
        }
        Deque<String> tail = new java.util.concurrent.ConcurrentLinkedDeque<>();
        Thread reader = new Thread(() -> readTail(process.getInputStream(), tail), "npm-output");
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw LdmException.failure("npm install did not finish in " + TIMEOUT_MINUTES + " minutes", null);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (IOException e) {
            process.destroyForcibly();
            throw LdmException.failure("npm install: cannot write to it (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw LdmException.failure("interrupted while npm was installing", e);
        }
        if (process.exitValue() != 0) {
            throw LdmException.failure("npm install failed with exit code " + process.exitValue() + ": "
                    + String.join(" | ", tail), null);
        }
    }

    /** Keeps the last few lines of npm's output for the error message (runs on its own thread). */
    private static void readTail(InputStream in, Deque<String> tail) {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    tail.addLast(line.strip());
                    if (tail.size() > 5) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            tail.addLast("(output unreadable: " + e.getMessage() + ")");
        }
    }
}
