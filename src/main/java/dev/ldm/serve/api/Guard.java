package dev.ldm.serve.api;

import dev.ldm.serve.ApiError;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Who may use the server, checked before every request (the page too):
 * <ul>
 * <li>Bound to a loopback address, it answers only requests whose Host is a loopback name, so a web
 * site cannot reach it through DNS rebinding (a name of its own that resolves to 127.0.0.1).</li>
 * <li>A request from a web page of another origin (its Origin header, or Sec-Fetch-Site: cross-site)
 * is refused with 403 unless {@code --cors} names that origin; allowed origins get CORS headers and
 * preflights answered. Programs that send no Origin (scripts, SDKs) are not affected.</li>
 * <li>With {@code --api-key}, every request needs {@code Authorization: Bearer KEY} or HTTP basic
 * with the key as password (any user name; browsers ask for it once), compared in constant time.</li>
 * </ul>
 */
final class Guard {
    private final boolean loopbackOnly;
    private final byte[] key;
    private final List<String> cors;

    /**
     * @param host the address the server binds
     * @param apiKey the key, or null for none
     * @param cors origins allowed to call from a web page ({@code *} for any)
     */
    Guard(String host, String apiKey, List<String> cors) {
        this.loopbackOnly = isLoopback(host);
        this.key = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.cors = cors.stream().map(Guard::normalise).toList();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    void check(Context ctx) {
        checkHost(ctx);
        boolean preflight = checkOrigin(ctx);
        if (preflight) {
            return;
        }
        checkKey(ctx);
    }

    private void checkHost(Context ctx) {
        String host = ctx.header("Host");
        if (!loopbackOnly || host == null) {
            return;
        }
        String name = hostName(host);
        boolean loopbackName = name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        if (!loopbackName) {
            throw ApiError.of(403, null, "Host '" + clip(host) + "' refused: this server listens on a loopback "
                    + "address and answers only to localhost names (a guard against DNS rebinding); start it with "
                    + "--host to serve other names");
        }
    }

    /** Host header without its port, lower case, IPv6 without brackets. */
    private static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Refuses foreign origins; sets CORS headers for allowed ones. True when a preflight was answered. */
    private boolean checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String site = ctx.header("Sec-Fetch-Site");
        if (origin == null) {
            if (site != null && site.equalsIgnoreCase("cross-site") && !cors.contains("*")) {
                throw ApiError.of(403, null, "cross-site request refused (start the server with --cors ORIGIN to "
                        + "allow a web page elsewhere)");
            }
            return false;
        }
        String o = normalise(origin);
        String host = ctx.header("Host");
        boolean same = host != null && (o.equals("http://" + host.toLowerCase(Locale.ROOT))
                || o.equals("https://" + host.toLowerCase(Locale.ROOT)));
        boolean allowed = cors.contains("*") || cors.contains(o);
        if (!same && !allowed) {
            throw ApiError.of(403, null, "cross-origin request from '" + clip(origin) + "' refused: a web page "
                    + "elsewhere may not drive this server; start it with --cors " + clip(origin) + " to allow it");
        }
        if (allowed && !same) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
            ctx.header("Access-Control-Expose-Headers", "Retry-After");
            if (ctx.method() == HandlerType.OPTIONS) {
                ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
                ctx.header("Access-Control-Max-Age", "600");
                ctx.status(204);
                return true;
            }
        }
        return false;
    }

    private void checkKey(Context ctx) {
        if (key == null) {
            return; // an Authorization header is ignored (some clients send an empty one)
        }
        String auth = ctx.header("Authorization");
        byte[] given = null;
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        } else if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                given = colon < 0 ? null : pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                given = null;
            }
        }
        if (given == null || !MessageDigest.isEqual(given, key)) {
            ctx.header("WWW-Authenticate", "Basic realm=\"ldm serve\", charset=\"UTF-8\"");
            throw ApiError.of(401, null, auth == null || auth.isBlank()
                    ? "this server needs its API key: Authorization: Bearer KEY (or basic auth with the key as password)"
                    : "wrong API key");
        }
    }

    /** An origin as compared: lower case, no trailing slash. */
    private static String normalise(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String clip(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 80 ? t : t.substring(0, 80) + "...";
    }
}
