package relay.http;

import java.time.Duration;
import java.util.Map;

/**
 * What the API answers: a status, a body (JSON but for a metrics scrape; null for none) and extra headers.
 *
 * @param status the HTTP status
 * @param body the JSON text (or, for {@code /metrics}, the exposition), or null
 * @param contentType the body's media type
 * @param headers extra response headers
 * @param undo what to do if the answer cannot be delivered (an allocation the caller never
 *        learnt of is destroyed at once rather than left to idle out)
 */
record ApiResponse(int status, String body, String contentType, Map<String, String> headers, Runnable undo) {

    static final String JSON = "application/json;charset=utf-8";

    private static final Runnable NOTHING = () -> { };

    static ApiResponse ok(String body) {
        return new ApiResponse(200, body, JSON, Map.of(), NOTHING);
    }

    static ApiResponse created(String body, String location, Runnable undo) {
        return new ApiResponse(201, body, JSON, Map.of("Location", location), undo);
    }

    /** A 200 whose body is not JSON (a metrics exposition). */
    static ApiResponse text(String body, String contentType) {
        return new ApiResponse(200, body, contentType, Map.of(), NOTHING);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, JSON, Map.of(), NOTHING);
    }

    static ApiResponse error(int status, String error, String message) {
        return error(status, error, message, Map.of());
    }

    static ApiResponse error(int status, String error, String message, Map<String, String> headers) {
        return new ApiResponse(status, Json.error(error, null, null, message, null), JSON, headers, NOTHING);
    }

    /** An error that concerns another node of the cluster: the usual error object plus {@code "node"}. */
    static ApiResponse nodeError(int status, String error, String node, String message) {
        return new ApiResponse(status, Json.nodeError(error, node, message), JSON, Map.of(), NOTHING);
    }

    /** An error the client may retry after {@code seconds}: {@code Retry-After} and {@code retryAfter} say when. */
    static ApiResponse retryLater(int status, String error, String message, long seconds) {
        return new ApiResponse(status, Json.error(error, null, null, message, seconds), JSON,
                Map.of("Retry-After", Long.toString(seconds)), NOTHING);
    }

    static ApiResponse denied(int status, String error, String reason, String policy, String message, Duration retryAfter) {
        Long seconds = retryAfter == null ? null : retryAfterSeconds(retryAfter);
        Map<String, String> headers = seconds == null ? Map.of() : Map.of("Retry-After", seconds.toString());
        return new ApiResponse(status, Json.error(error, reason, policy, message, seconds), JSON, headers, NOTHING);
    }

    /** Retry-After takes whole seconds: round up, and never say 0 (that would invite a busy loop). */
    private static long retryAfterSeconds(Duration d) {
        long seconds = d.toSeconds();
        if (d.compareTo(Duration.ofSeconds(seconds)) > 0) {
            seconds++;
        }
        return Math.max(1, seconds);
    }
}
