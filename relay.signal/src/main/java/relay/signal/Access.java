package relay.signal;

import java.net.InetAddress;
import java.util.function.LongSupplier;

import relay.http.access.ApiAccess;

/**
 * relay.http's access rules ({@link ApiAccess}: shut-out, token, loopback {@code Host}) applied to
 * {@code /signal/*} with relay.http's own token (PID {@code relay.http}, key {@code token}). The
 * node follows its own clients' wrong tokens.
 */
final class Access {

    /** A refusal: status, error code, message, and seconds to wait (or 0). */
    record Refusal(int status, String error, String message, long retryAfter) {
    }

    private final ApiAccess rules;

    Access(LongSupplier nanos) {
        this.rules = new ApiAccess(nanos);
    }

    /** @param raw relay.http's token as configured: taken if it can serve, else the previous stays (relay.http says why) */
    void useToken(Object raw) {
        String t = raw == null ? "" : raw.toString().trim();
        if (ApiAccess.acceptable(t)) {
            rules.useToken(t);
        }
    }

    /** @return null if the request may go on, else why not */
    Refusal check(InetAddress remote, String host, String authorization) {
        ApiAccess.Refusal r = rules.check(remote, host, authorization);
        return r == null ? null : new Refusal(r.status(), r.error(), r.message(), r.retryAfter());
    }
}
