package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.cli.Main;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.Images;
import dev.ldm.image.PngMetadata;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a running {@code ldm serve --save} (a child JVM) while it renders: every image
 * of a job the server had reported done is in the outputs folder with the bytes it served, every
 * PNG there is complete (decodes and carries its settings; only ldm's hidden temporary files may be
 * partial), and a restarted server numbers its files after the existing ones. Tagged slow: two child
 * JVMs that start, load the model and render, about 17 s on two busy cores.
 */
@org.junit.jupiter.api.Tag("slow")
class ServeKillTest {
    static final int ROUNDS = 2;
    static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)/");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void killNineLosesNoFinishedImage() throws Exception {
        ModelFolder model = TestModels.tiny(tmp.resolve("model"));
        Path out = tmp.resolve("outputs");
        Map<String, byte[]> served = new LinkedHashMap<>(); // saved name -> bytes served for a done job
        for (int round = 0; round < ROUNDS; round++) {
            Process p = start(model.dir(), out);
            try {
                String url = awaitUrl(p);
                int done = 0;
                List<String> ids = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                // keep the queue busy; kill while a job renders once three of this round's jobs are done
                while (System.nanoTime() < deadline) {
                    if (ids.size() - done < 3) {
                        ids.add(post(url + "/ldm/v1/jobs", "{\"prompt\": \"round " + round + " job " + ids.size()
                                + "\", \"steps\": 40, \"n\": 2, \"seed\": " + ids.size() + "}").get("id").getAsString());
                    }
                    done = 0;
                    boolean running = false;
                    for (String id : ids) {
                        JsonObject job = get(url + "/ldm/v1/jobs/" + id);
                        String status = job.get("status").getAsString();
                        if (status.equals("done")) {
                            done++;
                            for (JsonElement e : job.getAsJsonArray("images")) {
                                JsonObject img = e.getAsJsonObject();
                                String name = img.get("saved").getAsString();
                                if (!served.containsKey(name)) {
                                    served.put(name, bytes(url + img.get("url").getAsString()));
                                }
                            }
                        }
                        running |= status.equals("running");
                    }
                    if (done >= 3 && running) {
                        break;
                    }
                    Thread.sleep(5);
                }
                assertTrue(done >= 3, "round " + round + ": only " + done + " jobs finished");
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the child
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, p.exitValue(), "the server was killed while running");
            check(out, served);
        }
        System.out.printf("ServeKillTest: %d rounds, %d finished images all present after kill -9%n", ROUNDS,
                served.size());
    }

    /** Every served image is there with its bytes; every PNG is complete; names never repeat. */
    private static void check(Path out, Map<String, byte[]> served) throws Exception {
        for (Map.Entry<String, byte[]> e : served.entrySet()) {
            Path f = out.resolve(e.getKey());
            assertTrue(Files.isRegularFile(f), "lost: " + e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), e.getKey() + " differs from what was served");
        }
        Set<String> numbers = new HashSet<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    continue; // AtomicFiles' temporary file of a write the kill cut short: never read
                }
                assertTrue(name.endsWith(".png"), "unexpected file " + name);
                assertEquals(8, Images.read(f).getWidth(), name);
                assertTrue(PngMetadata.read(f).containsKey("ldm"), name + " has no settings");
                assertTrue(numbers.add(name.substring(0, 5)), "number used twice: " + name);
            }
        }
    }

    private Process start(Path model, Path out) throws Exception {
        Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Xss4m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + jvmTmp, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--model", model.toString(), "--port", "0", "--save", "--out",
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    /** The URL the child prints once it listens (its output is drained from then on). */
    private static String awaitUrl(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = r.readLine()) != null;) {
                    seen.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        Thread drain = new Thread(() -> {
                            try {
                                r.transferTo(java.io.Writer.nullWriter());
                            } catch (java.io.IOException e) {
                                // the child is gone
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return m.group(1);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError("ldm serve exited without listening:\n" + seen);
        });
        return url.get(120, TimeUnit.SECONDS);
    }

    private JsonObject post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private JsonObject get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private byte[] bytes(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
