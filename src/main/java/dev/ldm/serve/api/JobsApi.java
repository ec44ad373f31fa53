package dev.ldm.serve.api;

import com.google.gson.JsonObject;
import dev.ldm.serve.ApiError;
import dev.ldm.serve.Job;
import dev.ldm.serve.JobImage;
import dev.ldm.serve.ModelInfo;
import dev.ldm.serve.Renderer;
import dev.ldm.serve.RequestReader;
import dev.ldm.serve.ServeLimits;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ldm's own asynchronous jobs under {@code /ldm/v1/} (what the web page uses): submit returns an id
 * at once; status with the queue position; progress as server-sent events; the images as PNGs;
 * cancel that stops only that job.
 * <pre>
 * GET    /ldm/v1/info                      the model, its defaults, the samplers, the limits
 * POST   /ldm/v1/jobs                      {"prompt": ..., "steps": ..., ...} → 202 the job
 * GET    /ldm/v1/jobs                      every job known
 * GET    /ldm/v1/jobs/{id}                 one job
 * DELETE /ldm/v1/jobs/{id}                 cancel it
 * GET    /ldm/v1/jobs/{id}/events          text/event-stream: "progress" events, then one "done"
 * GET    /ldm/v1/jobs/{id}/images/{index}  image/png
 * </pre>
 */
final class JobsApi {
    private final Renderer renderer;
    private final RequestReader reader;

    JobsApi(Renderer renderer, RequestReader reader) {
        this.renderer = renderer;
        this.reader = reader;
    }

    void routes(RoutesConfig r) {
        r.get("/ldm/v1/info", this::info);
        r.post(JobJson.JOBS, this::submit);
        r.get(JobJson.JOBS, ctx -> Http.json(ctx, 200, renderer.jobs().stream().map(this::json).toList()));
        r.get(JobJson.JOBS + "/{id}", ctx -> Http.json(ctx, 200, json(job(ctx))));
        r.delete(JobJson.JOBS + "/{id}", this::cancel);
        r.get(JobJson.JOBS + "/{id}/events", this::events);
        r.get(JobJson.JOBS + "/{id}/images/{index}", this::image);
    }

    private Map<String, Object> json(Job job) {
        return JobJson.of(job.snapshot(), renderer.position(job));
    }

    private Job job(Context ctx) {
        String id = ctx.pathParam("id");
        return renderer.job(id).orElseThrow(() -> ApiError.of(404, "id", "no job '"
                + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "' (unknown, or finished long ago)"));
    }

    private void info(Context ctx) {
        ModelInfo m = renderer.model();
        ServeLimits l = renderer.limits();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", m.name());
        model.put("hash", m.hash());
        model.put("size", m.size());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("min", m.sizes().min());
        sizes.put("max", m.sizes().max());
        sizes.put("step", m.sizes().step());
        model.put("sizes", sizes);
        model.put("dit_runtime", m.runtime().word());
        model.put("defaults", m.defaults());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("samplers", dev.ldm.flow.Samplers.TABLE.stream().map(dev.ldm.flow.Samplers.Entry::name).toList());
        out.put("limits", l);
        Http.json(ctx, 200, out);
    }

    private void submit(Context ctx) {
        JsonObject body = Http.jsonBody(ctx, renderer.limits().maxBodyBytes());
        Job job = renderer.submit(reader.read(body, RequestReader.Dialect.LDM, List.of()).request());
        ctx.header("Location", JobJson.JOBS + "/" + job.id());
        Http.json(ctx, 202, json(job));
    }

    private void cancel(Context ctx) {
        Job job = renderer.cancel(ctx.pathParam("id")).orElseGet(() -> job(ctx));
        Map<String, Object> out = json(job);
        out.put("cancel_requested", true);
        Http.json(ctx, 200, out);
    }

    private void image(Context ctx) {
        Job.Snapshot s = job(ctx).snapshot();
        String index = ctx.pathParam("index").replaceFirst("\\.png$", "");
        JobImage img = s.images().stream().filter(i -> String.valueOf(i.index()).equals(index)).findFirst()
                .orElseThrow(() -> ApiError.of(404, "index", "job " + s.id() + " has no image " + index
                        + (s.status().finished() ? "" : " yet (it is " + s.status().word() + ")")));
        ctx.header("Content-Disposition", "inline; filename=\"" + JobJson.fileName(s, img) + "\"");
        ctx.header("Cache-Control", "private, max-age=86400, immutable");
        ctx.contentType("image/png").result(img.png());
    }

    /**
     * Server-sent events: the job's state now, a "progress" event at every change (sampler step,
     * queue position), and a final "done" event (status done, failed or cancelled), then the stream
     * ends.
     */
    private void events(Context ctx) throws Exception {
        Job job = job(ctx);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw ApiError.of(406, null, "this is a server-sent event stream: ask with Accept: text/event-stream");
        }
        new SseHandler(0, client -> stream(job, client)).handle(ctx);
    }

    private void stream(Job job, SseClient client) {
        client.keepAlive();
        Object lock = new Object();
        Consumer<Job.Snapshot> send = s -> {
            synchronized (lock) {
                if (client.terminated()) {
                    return;
                }
                boolean last = s.status().finished();
                client.sendEvent(last ? "done" : "progress", Http.GSON.toJson(JobJson.of(s, renderer.position(job))));
                if (last) {
                    client.close();
                }
            }
        };
        client.onClose(() -> job.unlisten(send));
        job.listen(send);
        send.accept(job.snapshot());
    }
}
