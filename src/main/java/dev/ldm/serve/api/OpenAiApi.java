package dev.ldm.serve.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.serve.ApiError;
import dev.ldm.serve.Job;
import dev.ldm.serve.Renderer;
import dev.ldm.serve.RequestReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's images API as far as a local model can answer it: {@code POST /v1/images/generations}
 * ({@code prompt}, {@code n}, {@code size} "WxH", {@code response_format} "b64_json", which is also
 * the default; ldm serves no image URLs) and {@code GET /v1/models}. The model name a client sends is
 * not checked: there is one model.
 */
final class OpenAiApi {
    private final Renderer renderer;
    private final RequestReader reader;

    OpenAiApi(Renderer renderer, RequestReader reader) {
        this.renderer = renderer;
        this.reader = reader;
    }

    void routes(RoutesConfig r) {
        r.post("/v1/images/generations", this::generate);
        r.get("/v1/models", this::models);
    }

    private void generate(Context ctx) {
        JsonObject body = Http.jsonBody(ctx, renderer.limits().maxBodyBytes());
        JsonElement format = body.get("response_format");
        if (format != null && !format.isJsonNull()
                && !(format.isJsonPrimitive() && format.getAsString().equals("b64_json"))) {
            throw ApiError.badRequest("response_format", "response_format: only b64_json is supported (ldm serves"
                    + " no image URLs)");
        }
        RequestReader.Read read = reader.read(body, RequestReader.Dialect.OPENAI, List.of("response_format"));
        Job job = renderer.submit(read.request());
        Http.whenDone(ctx, job, s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("created", s.finished() / 1000);
            out.put("data", s.images().stream().map(i -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("b64_json", Base64.getEncoder().encodeToString(i.png()));
                d.put("revised_prompt", s.request().prompt());
                return d;
            }).toList());
            Http.json(ctx, 200, out);
        });
    }

    private void models(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", renderer.model().name());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "ldm");
        Http.json(ctx, 200, Map.of("object", "list", "data", List.of(m)));
    }
}
