package dev.ldm.serve.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page at {@code /}: plain HTML, CSS and JavaScript from the jar (no external script, font
 * or style), read once. A strict Content-Security-Policy lets the page load only its own files and
 * talk only to this server, and no other site may frame it.
 */
final class WebPage {
    private static final String DIR = "/dev/ldm/serve/web/";
    /** Path → resource file and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
            "/favicon.svg", new String[] {"favicon.svg", "image/svg+xml"});
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private WebPage() {}

    static void routes(RoutesConfig r) {
        FILES.forEach((path, file) -> {
            byte[] bytes = read(file[0]);
            r.get(path, ctx -> serve(ctx, bytes, file[1]));
        });
        r.get("/favicon.ico", ctx -> ctx.redirect("/favicon.svg"));
    }

    private static void serve(Context ctx, byte[] bytes, String type) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(type).result(bytes);
    }

    private static byte[] read(String name) {
        try (InputStream in = WebPage.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
