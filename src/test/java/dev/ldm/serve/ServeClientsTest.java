package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.image.Images;
import dev.ldm.request.StoredSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real third-party client against a running server: the official {@code openai} npm package
 * (pinned in src/test/node/package-lock.json, installed with {@code npm ci} by
 * scripts/test-prerequisites.sh before the tests) lists the models and asks for two images with
 * {@code response_format: "b64_json"}, sending the API key as its bearer token.
 */
class ServeClientsTest {
    static final String KEY = "sk-local-test";

    @TempDir
    static Path tmp;
    static ServeFixture serve;

    @BeforeAll
    static void start() {
        serve = ServeFixture.start(tmp, ServeFixture.LIMITS, null, KEY, List.of());
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    /** The folder the prerequisites script installed the npm clients into; missing is a failure, not a skip. */
    static Path clients() {
        Path dir = Path.of(System.getProperty("ldm.nodeClients", "target/node-clients"));
        assertTrue(Files.isDirectory(dir.resolve("node_modules/openai")), dir + " has no node_modules/openai: run "
                + "the tests through Maven (mvn -B test), which runs scripts/test-prerequisites.sh first");
        return dir;
    }

    /** Runs a client script; returns its exit code and its one JSON line. */
    static Object[] run(String script, String key, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(clients().toFile()).redirectErrorStream(true);
        pb.environment().put("LDM_URL", serve.server.url());
        pb.environment().put("LDM_API_KEY", key);
        pb.environment().put("LDM_SIZE", "8x8");
        pb.environment().put("LDM_OUT", out.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("{"), "node printed: " + output);
        return new Object[] {p.exitValue(), JsonParser.parseString(last).getAsJsonObject(), output};
    }

    @Test
    void theOfficialOpenAiClientGetsPngs() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("openai"));
        Object[] r = run("openai-images.mjs", KEY, out);
        assertEquals(0, r[0], r[2].toString());
        JsonObject o = (JsonObject) r[1];
        assertEquals("tiny", o.get("model").getAsString());
        assertEquals(2, o.get("images").getAsInt());
        for (int i = 0; i < 2; i++) {
            Path png = out.resolve("openai-" + i + ".png");
            assertEquals(8, Images.read(png).getWidth());
            assertEquals("a red circle", StoredSettings.read(png).options().prompt());
        }
    }

    @Test
    void theOpenAiClientIsRefusedWithAWrongKey() throws Exception {
        Object[] r = run("openai-images.mjs", "wrong", Files.createDirectories(tmp.resolve("wrong")));
        assertEquals(1, r[0], r[2].toString());
        JsonObject o = (JsonObject) r[1];
        assertEquals(401, o.get("status").getAsInt(), o.toString());
        assertTrue(o.get("message").getAsString().contains("wrong API key"), o.toString());
    }
}
