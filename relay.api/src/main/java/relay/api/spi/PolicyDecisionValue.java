package relay.api.spi;

import java.time.Duration;

/** The one implementation of {@link PolicyDecision}; its factories check the values. */
record PolicyDecisionValue(boolean allowed, String message, Duration retryAfter, int maxKbps, int maxPps)
        implements PolicyDecision {

    static final PolicyDecision ALLOW = new PolicyDecisionValue(true, null, null, 0, 0);

    @Override
    public String toString() {
        return allowed ? "allow" + (maxKbps == 0 && maxPps == 0 ? "" : " within " + maxKbps + " kbps, " + maxPps + " pps")
                : "deny: " + message + (retryAfter == null ? "" : " (retry after " + retryAfter + ")");
    }
}
