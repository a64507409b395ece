package relay.api.spi;

import java.time.Duration;

/** The one implementation of {@link PolicyDecision}; its factories check the values. */
record PolicyDecisionValue(boolean allowed, String message, Duration retryAfter) implements PolicyDecision {

    static final PolicyDecision ALLOW = new PolicyDecisionValue(true, null, null);

    @Override
    public String toString() {
        return allowed ? "allow" : "deny: " + message + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
    }
}
