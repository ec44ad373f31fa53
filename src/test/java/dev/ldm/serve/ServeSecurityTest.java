package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the server: other origins (403 unless --cors allows them, with CORS headers and
 * preflights for those), Host names other than localhost's (DNS rebinding), and the API key as a
 * bearer token or basic-auth password.
 */
class ServeSecurityTest {
    static final String KEY = "s3cret-key";
    static final String ALLOWED = "https://app.example.org";

    @TempDir
    static Path tmp;
    static ServeFixture open;
    static ServeFixture locked;

    @BeforeAll
    static void start() {
        open = ServeFixture.start(tmp.resolve("open"), ServeFixture.LIMITS, null, null, List.of(ALLOWED));
        locked = ServeFixture.start(open.folder, ServeFixture.LIMITS, null, KEY, List.of());
    }

    @AfterAll
    static void stop() {
        open.close();
        locked.close();
    }

    @Test
    void otherOriginsAreRefusedUnlessAllowed() {
        String body = "{\"prompt\": \"x\", \"steps\": 1}";
        ServeFixture.Response evil = open.post("/sdapi/v1/txt2img", body, "Origin", "https://evil.example.com");
        assertEquals(403, evil.status(), evil.toString());
        assertTrue(evil.json().get("error").getAsString().contains("--cors https://evil.example.com"));
        assertNull(evil.header("Access-Control-Allow-Origin"));
        assertEquals(403, open.post("/ldm/v1/jobs", body, "Origin", "null").status());
        assertEquals(403, open.post("/sdapi/v1/txt2img", body, "Origin", "http://localhost:1234").status());
        assertEquals(403, open.get("/ldm/v1/jobs", "Sec-Fetch-Site", "cross-site").status());

        // the page's own origin, and a program that sends no Origin
        String self = "http://127.0.0.1:" + open.server.port();
        assertEquals(200, open.post("/sdapi/v1/txt2img", body, "Origin", self).status());
        assertEquals(200, open.post("/sdapi/v1/txt2img", body).status());
        assertEquals(200, open.get("/", "Sec-Fetch-Site", "same-origin").status());

        // an allowed origin: CORS headers, and its preflight answered
        ServeFixture.Response ok = open.post("/sdapi/v1/txt2img", body, "Origin", ALLOWED);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(ALLOWED, ok.header("Access-Control-Allow-Origin"));
        ServeFixture.Response pre = open.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(open.url("/sdapi/v1/txt2img"))).method("OPTIONS",
                java.net.http.HttpRequest.BodyPublishers.noBody()), "Origin", ALLOWED,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertEquals(204, pre.status(), pre.toString());
        assertTrue(pre.header("Access-Control-Allow-Methods").contains("POST"));
        assertTrue(pre.header("Access-Control-Allow-Headers").contains("Content-Type"));
    }

    @Test
    void foreignHostNamesAreRefused() throws Exception {
        int port = open.server.port();
        assertTrue(raw(port, "evil.example.com:" + port).startsWith("HTTP/1.1 403"));
        assertTrue(raw(port, "attacker.test").startsWith("HTTP/1.1 403"));
        assertTrue(raw(port, "localhost:" + port).startsWith("HTTP/1.1 200"));
        assertTrue(raw(port, "127.0.0.1:" + port).startsWith("HTTP/1.1 200"));
        assertTrue(raw(port, "[::1]:" + port).startsWith("HTTP/1.1 200"));
    }

    /** GET /sdapi/v1/options with this Host header, over a plain socket (Java's client will not set Host). */
    private static String raw(int port, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /sdapi/v1/options HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theApiKeyIsABearerTokenOrABasicPassword() {
        ServeFixture.Response none = locked.get("/sdapi/v1/options");
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Basic"));
        assertTrue(none.json().get("error").getAsString().contains("API key"));
        assertEquals(401, locked.get("/", "Authorization", "").status());
        assertEquals(401, locked.get("/sdapi/v1/options", "Authorization", "Bearer wrong").status());
        assertEquals(401, locked.get("/sdapi/v1/options", "Authorization", "Bearer " + KEY + "x").status());
        assertEquals(401, locked.get("/sdapi/v1/options", "Authorization", basic("user", "wrong")).status());
        assertEquals(401, locked.get("/sdapi/v1/options", "Authorization", "Basic !!!").status());

        assertEquals(200, locked.get("/sdapi/v1/options", "Authorization", "Bearer " + KEY).status());
        assertEquals(200, locked.get("/", "Authorization", basic("anyone", KEY)).status());
        ServeFixture.Response gen = locked.post("/v1/images/generations", "{\"prompt\": \"x\", \"n\": 1}",
                "Authorization", "Bearer " + KEY);
        assertEquals(200, gen.status(), gen.toString());
        // without a key configured, an Authorization header (some clients send an empty one) is ignored
        assertEquals(200, open.get("/sdapi/v1/options", "Authorization", "").status());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
