package dev.ldm.serve.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.ldm.serve.ApiError;
import dev.ldm.serve.Job;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** Reading request bodies within the size limit and writing JSON answers and errors. */
final class Http {
    /** Answers keep their nulls (AUTOMATIC1111's do) and never escape HTML (nothing is embedded in a page). */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private Http() {}

    /**
     * The body as a JSON object: at most {@code maxBytes} (413 beyond), strict JSON (400 naming no
     * field when malformed), nesting limited by the parser.
     */
    static JsonObject jsonBody(Context ctx, long maxBytes) {
        String text = new String(body(ctx, maxBytes), StandardCharsets.UTF_8);
        JsonElement e;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            e = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("data after the JSON value");
            }
        } catch (JsonParseException | IOException | IllegalStateException | StackOverflowError ex) {
            String why = ex.getMessage() == null ? "unreadable" : ex.getMessage().lines().findFirst().orElse("");
            why = why.replaceAll("^([\\w.]+(Exception|Error): )+", "").replaceAll("\\s*See https?://\\S+", "");
            throw ApiError.badRequest(null, "malformed JSON: " + why);
        }
        if (e.isJsonNull()) {
            throw ApiError.badRequest(null, "the body is empty: send a JSON object");
        }
        if (!e.isJsonObject()) {
            throw ApiError.badRequest(null, "the body must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    /**
     * The raw body, refused with 413 beyond {@code maxBytes} (by its declared length first). A
     * refused body is read and discarded (up to {@link #DRAIN_BYTES}) before the answer: a server
     * that answers and closes while the client is still sending makes the client's TCP stack
     * reset the connection, and the client sees "no response" instead of the 413.
     */
    static byte[] body(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBytes) {
                drain(in);
                throw tooLarge(maxBytes);
            }
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (b.length > maxBytes) {
                drain(in);
                throw tooLarge(maxBytes);
            }
            return b;
        } catch (IOException e) {
            throw ApiError.badRequest(null, "cannot read the request body: " + e.getMessage());
        }
    }

    /** How much of a refused body is read and discarded before the 413; beyond it the connection is cut. */
    static final long DRAIN_BYTES = 64L << 20;

    private static void drain(InputStream in) {
        try {
            byte[] sink = new byte[64 << 10];
            long left = DRAIN_BYTES;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: the 413 is answered to nobody
        }
    }

    private static ApiError tooLarge(long maxBytes) {
        return ApiError.of(413, null, "the request body is larger than " + maxBytes
                + " bytes (the server's --max-body-bytes)");
    }

    /** Answers {@code value} as JSON with {@code status}. */
    static void json(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(GSON.toJson(value));
    }

    /** {"error": message, "field": field or null}. */
    static JsonObject error(String message, String field) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        o.add("field", field == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(field));
        return o;
    }

    static void error(Context ctx, ApiError e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        json(ctx, e.status(), error(e.getMessage(), e.field()));
    }

    /**
     * Answers when {@code job} finishes, without holding a thread while it waits: {@code onDone} for
     * a finished job, 409 for a cancelled one, 400 or 500 for a failed one.
     */
    static void whenDone(Context ctx, Job job, java.util.function.Consumer<Job.Snapshot> onDone) {
        ctx.future(() -> job.done().thenAccept(s -> {
            try {
                switch (s.status()) {
                    case DONE -> onDone.accept(s);
                    case CANCELLED -> error(ctx, ApiError.of(409, null, "the job was " + s.error()));
                    default -> error(ctx, s.badInput() ? ApiError.badRequest(null, s.error())
                            : ApiError.of(500, null, s.error()));
                }
            } catch (ApiError e) {
                error(ctx, e);
            } catch (RuntimeException e) {
                json(ctx, 500, error("internal error: " + e.getClass().getSimpleName(), null));
            }
        }));
    }
}
