package dev.ldm.serve.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.image.A1111Parameters;
import dev.ldm.image.PngMetadata;
import dev.ldm.request.RequestField;
import dev.ldm.serve.ApiError;
import dev.ldm.serve.InitImages;
import dev.ldm.serve.Job;
import dev.ldm.serve.JobImage;
import dev.ldm.serve.ModelInfo;
import dev.ldm.serve.Renderer;
import dev.ldm.serve.RequestReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The AUTOMATIC1111 web API subset under {@code /sdapi/v1/}, with its field names, defaults and
 * answer shapes: {@code images} (base64 PNGs with ldm's settings), {@code parameters} (the request
 * echoed) and {@code info} (a JSON string with seeds and infotexts). Generation requests become jobs
 * of the shared queue; {@code interrupt} and {@code skip} cancel the running job only.
 */
final class A1111Api {
    static final String BASE = "/sdapi/v1/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneId.systemDefault());

    private final Renderer renderer;
    private final RequestReader reader;
    private final ModelInfo model;

    A1111Api(Renderer renderer, RequestReader reader) {
        this.renderer = renderer;
        this.reader = reader;
        this.model = renderer.model();
    }

    void routes(RoutesConfig r) {
        r.post(BASE + "txt2img", ctx -> generate(ctx, RequestReader.Dialect.A1111_TXT2IMG));
        r.post(BASE + "img2img", ctx -> generate(ctx, RequestReader.Dialect.A1111_IMG2IMG));
        r.post(BASE + "png-info", this::pngInfo);
        r.post(BASE + "interrupt", this::interrupt);
        r.post(BASE + "skip", this::interrupt);
        r.get(BASE + "progress", this::progress);
        r.get(BASE + "options", this::options);
        r.post(BASE + "options", this::setOptions);
        r.get(BASE + "sd-models", this::models);
        r.get(BASE + "samplers", this::samplers);
    }

    private void generate(Context ctx, RequestReader.Dialect dialect) {
        JsonObject body = Http.jsonBody(ctx, renderer.limits().maxBodyBytes());
        RequestReader.Read read = reader.read(body, dialect, List.of());
        Job job = renderer.submit(read.request());
        Http.whenDone(ctx, job, s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("images", s.images().stream().map(i -> Base64.getEncoder().encodeToString(i.png())).toList());
            JsonObject echo = body.deepCopy();
            if (echo.has("init_images")) {
                echo.add("init_images", JsonNull.INSTANCE); // as AUTOMATIC1111 answers: not sent back
            }
            out.put("parameters", echo);
            out.put("info", Http.GSON.toJson(info(s, read)));
            Http.json(ctx, 200, out);
        });
    }

    /** The {@code info} object: AUTOMATIC1111's keys, plus how ldm read the request. */
    private Map<String, Object> info(Job.Snapshot s, RequestReader.Read read) {
        GenerateRequest r = s.request();
        List<String> infotexts = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (JobImage img : s.images()) {
            infotexts.add(PngMetadata.read(img.png(), Path.of("image")).getOrDefault(A1111Parameters.KEYWORD, ""));
            seeds.add(img.request().seed());
            if (img.file() != null) {
                files.add(img.file());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", r.prompt());
        m.put("all_prompts", java.util.Collections.nCopies(r.n(), r.prompt()));
        m.put("negative_prompt", r.negative());
        m.put("all_negative_prompts", java.util.Collections.nCopies(r.n(), r.negative()));
        m.put("seed", r.seed());
        m.put("all_seeds", seeds);
        m.put("subseed", -1);
        m.put("all_subseeds", java.util.Collections.nCopies(r.n(), -1));
        m.put("subseed_strength", 0);
        m.put("width", r.size());
        m.put("height", r.size());
        m.put("sampler_name", Samplers.a1111Label(r.sampler()));
        m.put("cfg_scale", r.cfg());
        m.put("steps", r.steps());
        m.put("batch_size", r.n());
        m.put("restore_faces", false);
        m.put("sd_model_name", model.name());
        m.put("sd_model_hash", model.hash());
        m.put("denoising_strength", r.init() == null ? null : r.init().strength());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("Shift", r.shift());
        if (!r.cfgInterval().always()) {
            extra.put(RequestField.CFG_INTERVAL.a1111(), r.cfgInterval().toString());
        }
        m.put("extra_generation_params", extra);
        m.put("index_of_first_image", 0);
        m.put("infotexts", infotexts);
        m.put("styles", List.of());
        m.put("job_timestamp", STAMP.format(Instant.ofEpochMilli(s.started())));
        m.put("clip_skip", 1);
        m.put("is_using_inpainting_conditioning", false);
        m.put("version", "ldm 0.1.0");
        m.put("ldm_job", s.id());
        m.put("ldm_sampler", read.sampler());
        m.put("ldm_ignored", read.ignored());
        m.put("ldm_saved", files);
        return m;
    }

    /** {@code {"image": base64}} → the PNG's {@code parameters} text, its other text chunks, and the text parsed. */
    private void pngInfo(Context ctx) {
        JsonObject body = Http.jsonBody(ctx, renderer.limits().maxBodyBytes());
        JsonElement image = body.get("image");
        if (image == null || image.isJsonNull() || !image.isJsonPrimitive() || !image.getAsJsonPrimitive().isString()) {
            throw ApiError.badRequest("image", "image must be a base64 PNG (or a data: URL)");
        }
        byte[] png = InitImages.decode(image.getAsString(), "image");
        Map<String, String> chunks;
        try {
            chunks = PngMetadata.read(png, Path.of("image"));
        } catch (LdmException e) {
            throw ApiError.badRequest("image", e.getMessage());
        }
        String text = chunks.getOrDefault(A1111Parameters.KEYWORD, "");
        Map<String, String> items = new LinkedHashMap<>(chunks);
        items.remove(A1111Parameters.KEYWORD);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("info", text);
        out.put("items", items);
        out.put("parameters", text.isEmpty() ? Map.of() : parsed(text));
        Http.json(ctx, 200, out);
    }

    /** An infotext as AUTOMATIC1111's parser gives it: Prompt, Negative prompt, Steps, ..., Size-1, Size-2. */
    private static Map<String, Object> parsed(String text) {
        A1111Parameters p;
        try {
            p = A1111Parameters.parse(text);
        } catch (RuntimeException e) {
            return Map.of("Prompt", text);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Prompt", p.prompt());
        m.put("Negative prompt", p.negativePrompt() == null ? "" : p.negativePrompt());
        m.put("Steps", p.steps());
        m.put("Sampler", p.sampler());
        m.put("CFG scale", p.cfgScale());
        m.put("Seed", p.seed());
        m.put("Size-1", p.width());
        m.put("Size-2", p.height());
        m.put("Model hash", p.modelHash());
        m.put("Model", p.model());
        m.putAll(p.extra());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    private void interrupt(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interrupted", renderer.interrupt().map(Job::id).orElse(null));
        Http.json(ctx, 200, out);
    }

    private void progress(Context ctx) {
        Job job = renderer.running().orElse(null);
        Job.Snapshot s = job == null ? null : job.snapshot();
        int waiting = renderer.waitingCount();
        double progress = s == null ? 0 : s.progress();
        double eta = 0;
        if (s != null && s.step() > 0 && s.started() > 0) {
            double elapsed = (System.currentTimeMillis() - s.started()) / 1000.0;
            eta = elapsed / s.step() * (s.total() - s.step());
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("skipped", false);
        state.put("interrupted", false);
        state.put("job", s == null ? "" : "ldm job " + s.id());
        state.put("job_count", (s == null ? 0 : 1) + waiting);
        state.put("job_timestamp", s == null ? "0" : STAMP.format(Instant.ofEpochMilli(s.started())));
        state.put("job_no", 0);
        state.put("sampling_step", s == null ? 0 : s.step());
        state.put("sampling_steps", s == null ? 0 : s.total());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("progress", progress);
        out.put("eta_relative", eta);
        out.put("state", state);
        out.put("current_image", null);
        out.put("textinfo", s == null ? null : "step " + s.step() + " of " + s.total());
        Http.json(ctx, 200, out);
    }

    private void options(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sd_model_checkpoint", model.title());
        out.put("sd_checkpoint_hash", model.hash());
        out.put("sd_vae", "Automatic");
        out.put("samples_format", "png");
        out.put("CLIP_stop_at_last_layers", 1);
        out.put("ldm_image_size", model.size());
        Http.json(ctx, 200, out);
    }

    /** Accepts what clients echo back; a checkpoint other than the one model is refused. */
    private void setOptions(Context ctx) {
        JsonObject body = Http.jsonBody(ctx, renderer.limits().maxBodyBytes());
        JsonElement ckpt = body.get("sd_model_checkpoint");
        if (ckpt != null && !ckpt.isJsonNull()) {
            String want = ckpt.isJsonPrimitive() ? ckpt.getAsString() : ckpt.toString();
            Set<String> ours = Set.of(model.title(), model.name(), model.hash());
            if (!ours.contains(want.strip())) {
                throw ApiError.badRequest("sd_model_checkpoint", "this server has one model, '" + model.title()
                        + "', not '" + (want.length() > 80 ? want.substring(0, 80) + "..." : want) + "'");
            }
        }
        Http.json(ctx, 200, null);
    }

    private void models(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", model.title());
        m.put("model_name", model.name());
        m.put("hash", model.hash());
        m.put("sha256", null);
        m.put("filename", model.name());
        m.put("config", null);
        Http.json(ctx, 200, List.of(m));
    }

    /** ldm's samplers under AUTOMATIC1111's labels, then every AUTOMATIC1111 name with the sampler it maps to. */
    private void samplers(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (Samplers.Entry e : Samplers.TABLE) {
            Set<String> aliases = new LinkedHashSet<>(e.a1111Aliases());
            aliases.add(e.name());
            out.add(sampler(e.a1111Label(), new ArrayList<>(aliases), new Samplers.Choice(e.a1111Label(), e.name(),
                    "ldm's own sampler")));
            named.add(e.a1111Label().toLowerCase(java.util.Locale.ROOT));
        }
        for (String name : Samplers.A1111_NAMES) {
            if (named.add(name.toLowerCase(java.util.Locale.ROOT))) {
                out.add(sampler(name, List.of(), Samplers.nearest(name)));
            }
        }
        Http.json(ctx, 200, out);
    }

    private static Map<String, Object> sampler(String name, List<String> aliases, Samplers.Choice c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("aliases", aliases);
        m.put("options", Map.of("ldm_sampler", c.sampler(), "how", c.how()));
        return m;
    }
}
