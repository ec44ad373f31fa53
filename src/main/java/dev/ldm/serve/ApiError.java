package dev.ldm.serve;

/**
 * A request the server refuses: the HTTP status, a message for people and the request field it is
 * about (null when it is about the whole request). Answered as {@code {"error": ..., "field": ...}}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String field;
    private final int retryAfterSeconds;

    private ApiError(int status, String field, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: a field (or, with null, the body) is wrong. */
    public static ApiError badRequest(String field, String message) {
        return new ApiError(400, field, message, 0);
    }

    /** Any 4xx or 5xx status. */
    public static ApiError of(int status, String field, String message) {
        return new ApiError(status, field, message, 0);
    }

    /** 503 with a Retry-After of {@code seconds}: the queue is full. */
    public static ApiError busy(String message, int seconds) {
        return new ApiError(503, null, message, Math.max(1, seconds));
    }

    public int status() {
        return status;
    }

    /** The request field, as the client named it, or null. */
    public String field() {
        return field;
    }

    /** Seconds for a Retry-After header, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
