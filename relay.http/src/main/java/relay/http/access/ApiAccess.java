package relay.http.access;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.LongSupplier;

/**
 * The access rules of the REST API on relay.http's listener, in the order they are checked:
 * <ol>
 * <li>429 {@code too_many_requests} for a client shut out: {@value AuthThrottle#MAX_FAILURES} wrong
 * tokens within a minute from one client (an IPv4 address, or an IPv6 /64) shut it out for a
 * minute, right token or not;
 * <li>without a token: 401 {@code unauthorized} for a client that is not on this host, 403
 * {@code forbidden_host} for a {@code Host} that does not name this host's loopback (a name is
 * never looked up);
 * <li>with a token: 401 {@code unauthorized} unless {@code Authorization: Bearer <token>},
 * compared in constant time (a request without the header is not counted as a guess).
 * </ol>
 * Thread safe. Each instance follows its own clients: a bundle that serves resources under these
 * rules makes its own.
 */
public final class ApiAccess {

    /** Wrong tokens within a minute that shut a client out for a minute. */
    public static final int MAX_FAILURES = AuthThrottle.MAX_FAILURES;
    /** The shortest token taken: 16 characters of a random token are beyond guessing. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /**
     * Why a request is refused.
     *
     * @param status the HTTP status: 401, 403 or 429
     * @param error the error code of the JSON answer
     * @param message what the client should know
     * @param retryAfter seconds until the client may try again (429), else 0
     * @param shutOut true if this very request shut its client out (worth one warning line)
     */
    public record Refusal(int status, String error, String message, long retryAfter, boolean shutOut) {
    }

    private final AuthThrottle throttle;
    private volatile byte[] token = new byte[0];

    /** @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime} in production) */
    public ApiAccess(LongSupplier nanoClock) {
        this.throttle = new AuthThrottle(nanoClock);
    }

    /**
     * @param token a token as configured
     * @return whether it may serve: empty (none), or {@value #MIN_TOKEN_LENGTH} or more printable
     *         ASCII characters
     */
    public static boolean acceptable(String token) {
        return token.isEmpty() || (token.length() >= MIN_TOKEN_LENGTH && token.chars().allMatch(c -> c > 0x20 && c < 0x7f));
    }

    /** @param token the bearer token clients must present, empty for none (clients on this host only) */
    public void useToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param remote the client's address, or null if unknown
     * @param host the request's {@code Host} header, or null
     * @param authorization the request's {@code Authorization} header, or null
     * @return null if the request may go on, else why not
     */
    public Refusal check(InetAddress remote, String host, String authorization) {
        long locked = throttle.lockedSeconds(remote);
        if (locked > 0) {
            return new Refusal(429, "too_many_requests", "too many wrong tokens from this address; try again in " + locked
                    + " s", locked, false);
        }
        byte[] expected = token;
        if (expected.length == 0) {
            if (remote == null || !remote.isLoopbackAddress()) {
                return unauthorized("this relay has no API token, so only clients on this host may use the API", false);
            }
            if (!Hosts.isLoopback(host)) {
                return new Refusal(403, "forbidden_host", "this relay has no API token, so it answers requests for"
                        + " localhost, 127.0.0.1 or [::1] only, not for the Host this request names", 0, false);
            }
            return null;
        }
        if (authorization == null) {
            return unauthorized("send the API token as 'Authorization: Bearer <token>'", false);
        }
        byte[] presented = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (MessageDigest.isEqual(expected, presented)) {
            return null;
        }
        boolean shutOut = throttle.failed(remote);
        return unauthorized(presented.length == 0 ? "send the API token as 'Authorization: Bearer <token>'"
                : "the bearer token is wrong", shutOut);
    }

    private static Refusal unauthorized(String message, boolean shutOut) {
        return new Refusal(401, "unauthorized", message, 0, shutOut);
    }

    /** @return wrong tokens since this instance was made */
    public long failures() {
        return throttle.failures();
    }

    /**
     * @param host a {@code Host} header, or null
     * @return whether it names this host's loopback ({@code localhost}, {@code 127.x.y.z},
     *         {@code [::1]}, with or without a port); a name is never looked up
     */
    public static boolean loopbackHost(String host) {
        return Hosts.isLoopback(host);
    }
}
