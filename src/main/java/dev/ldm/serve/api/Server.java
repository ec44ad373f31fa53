package dev.ldm.serve.api;

import dev.ldm.LdmException;
import dev.ldm.serve.ApiError;
import dev.ldm.serve.Renderer;
import dev.ldm.serve.RequestReader;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code ldm serve}'s HTTP server (Javalin on Jetty): the web page, AUTOMATIC1111's and OpenAI's
 * APIs and ldm's job API over one {@link Renderer}. Every request passes the {@link Guard} first;
 * every refusal is {@code {"error": ..., "field": ...}} with a 4xx (503 with Retry-After for a full
 * queue), and no request can stop the server.
 */
public final class Server implements AutoCloseable {
    /**
     * Where and for whom to listen.
     *
     * @param host address to bind (127.0.0.1 by default)
     * @param port port, 0 for any free one
     * @param apiKey the key every request must carry, or null
     * @param cors origins whose web pages may call the server ({@code *}: any)
     */
    public record Settings(String host, int port, String apiKey, List<String> cors) {}

    /** Threads serving requests: waiting requests hold none (they wait on futures), so few are needed. */
    private static final int THREADS = 32;

    private final Javalin app;
    private final String host;

    private Server(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    /** Starts serving {@code renderer}. */
    public static Server start(Renderer renderer, Settings settings) {
        RequestReader reader = new RequestReader(renderer.model(), renderer.limits(), renderer.inits());
        Guard guard = new Guard(settings.host(), settings.apiKey(), settings.cors());
        A1111Api a1111 = new A1111Api(renderer, reader);
        OpenAiApi openAi = new OpenAiApi(renderer, reader);
        JobsApi jobs = new JobsApi(renderer, reader);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.threadPool = new QueuedThreadPool(THREADS, 2, 60_000);
            config.http.maxRequestSize = renderer.limits().maxBodyBytes();
            config.http.asyncTimeout = 0;
            config.routes.before(guard::check);
            config.routes.options("/<path>", ctx -> { }); // preflights the guard did not answer: 200, no CORS
            WebPage.routes(config.routes);
            a1111.routes(config.routes);
            openAi.routes(config.routes);
            jobs.routes(config.routes);
            config.routes.exception(ApiError.class, (e, ctx) -> Http.error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Http.json(ctx, e.getStatus(),
                    Http.error(e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                            : e.getMessage(), null)));
            config.routes.exception(LdmException.class, (e, ctx) -> Http.json(ctx,
                    e.exitCode() == LdmException.BAD_INPUT ? 400 : 500, Http.error(e.getMessage(), null)));
            config.routes.exception(Exception.class, (e, ctx) -> Http.json(ctx, 500,
                    Http.error("internal error: " + e.getClass().getSimpleName(), null)));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw LdmException.badInput("cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + rootMessage(e) + ")", e);
        }
        return new Server(app, settings.host());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The port it listens on (the one chosen when 0 was asked). */
    public int port() {
        return app.port();
    }

    /** http://host:port (IPv6 in brackets). */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
