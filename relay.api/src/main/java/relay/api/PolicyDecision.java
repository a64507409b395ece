package relay.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RelayPolicy} says about one request: allow, or deny with a message a person
 * can read and, optionally, when trying again could succeed.
 */
public final class PolicyDecision {

    private static final PolicyDecision ALLOW = new PolicyDecision(true, null, null);

    private final boolean allowed;
    private final String message;
    private final Duration retryAfter;

    private PolicyDecision(boolean allowed, String message, Duration retryAfter) {
        this.allowed = allowed;
        this.message = message;
        this.retryAfter = retryAfter;
    }

    /** @return the decision that lets the request pass this policy */
    public static PolicyDecision allow() {
        return ALLOW;
    }

    /**
     * @param message why, for the requester and the log (for example "domain evil.example is not allowed")
     * @return a denial
     */
    public static PolicyDecision deny(String message) {
        return new PolicyDecision(false, Objects.requireNonNull(message, "message"), null);
    }

    /**
     * @param message why
     * @param retryAfter how long until the same request could pass
     * @return a denial that says when to try again
     */
    public static PolicyDecision deny(String message, Duration retryAfter) {
        return new PolicyDecision(false, Objects.requireNonNull(message, "message"),
                Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** @return true if the request may pass */
    public boolean allowed() {
        return allowed;
    }

    /** @return the denial's message, or {@code null} for an allow */
    public String message() {
        return message;
    }

    /** @return when to retry, or {@code null} if the policy does not know */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public String toString() {
        return allowed ? "allow" : "deny: " + message + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
    }
}
