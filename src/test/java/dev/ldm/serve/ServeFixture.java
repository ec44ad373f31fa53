package dev.ldm.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.Generator;
import dev.ldm.onnx.Device;
import dev.ldm.serve.api.Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real server for tests, in-process: the tiny test model ({@link TestModels#tiny}, 8 px) opened as
 * {@code ldm generate} opens a model, a {@link Renderer} and a {@link Server} on a free port of
 * 127.0.0.1, and an HTTP client.
 */
final class ServeFixture implements AutoCloseable {
    /** Limits for tests: a short queue, room for long jobs (cancel tests), small bodies. */
    static final ServeLimits LIMITS = new ServeLimits(4, 10_000, 8, 500, 1 << 20, 512, 64);

    /** One answer: status, body, headers. */
    record Response(int status, byte[] bytes, HttpHeaders headers) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonObject json() {
            return JsonParser.parseString(body()).getAsJsonObject();
        }

        JsonArray array() {
            return JsonParser.parseString(body()).getAsJsonArray();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + (bytes.length > 400 ? body().substring(0, 400) + "..." : body());
        }
    }

    final ModelFolder folder;
    final Generator generator;
    final Renderer renderer;
    final Server server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeFixture(ModelFolder folder, Generator generator, Renderer renderer, Server server) {
        this.folder = folder;
        this.generator = generator;
        this.renderer = renderer;
        this.server = server;
    }

    static ServeFixture start(Path tmp) {
        return start(tmp, LIMITS, null, null, List.of());
    }

    /** @param saveDir outputs folder, or null not to save */
    static ServeFixture start(Path tmp, ServeLimits limits, Path saveDir, String apiKey, List<String> cors) {
        return start(TestModels.tiny(tmp.resolve("model")), limits, saveDir, apiKey, cors);
    }

    static ServeFixture start(ModelFolder folder, ServeLimits limits, Path saveDir, String apiKey, List<String> cors) {
        Generator generator = Generator.open(folder, Device.parse("auto"));
        Renderer renderer = new Renderer(generator, Renderer.describe(folder, generator), limits, saveDir);
        Server server = Server.start(renderer, new Server.Settings("127.0.0.1", 0, apiKey, cors));
        return new ServeFixture(folder, generator, renderer, server);
    }

    String url(String path) {
        return server.url() + path;
    }

    Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    Response post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)), headers);
    }

    Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), headers);
    }

    Response send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PNGs of an AUTOMATIC1111 answer's {@code images}. */
    static List<byte[]> images(JsonObject answer) {
        return answer.getAsJsonArray("images").asList().stream().map(JsonElement::getAsString)
                .map(Base64.getDecoder()::decode).toList();
    }

    @Override
    public void close() {
        server.close();
        renderer.close();
        generator.close();
    }
}
