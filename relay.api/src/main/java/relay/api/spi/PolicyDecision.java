package relay.api.spi;

import java.time.Duration;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link RelayPolicy} says about one request: allow, or deny with a message a person
 * can read and, optionally, when trying again could succeed.
 *
 * <p>Made by {@link #allow()} and {@link #deny}; implemented by this package only, so that a new
 * accessor is a minor change of the API. Two decisions are equal when every accessor returns an
 * equal value.
 */
@ProviderType
public interface PolicyDecision {

    /** @return true if the request may pass */
    boolean allowed();

    /** @return the denial's message, or {@code null} for an allow */
    String message();

    /** @return when to retry, or {@code null} if the policy does not know */
    Duration retryAfter();

    /** @return the cap this allow puts on each side of the channel, in kbit/s; 0 for none */
    int maxKbps();

    /** @return the cap this allow puts on each side of the channel, in datagrams per second; 0 for none */
    int maxPps();

    /** @return the decision that lets the request pass this policy */
    static PolicyDecision allow() {
        return PolicyDecisionValue.ALLOW;
    }

    /**
     * An allow that caps the channel: the relay applies the lowest cap of its configuration and
     * of every policy.
     *
     * @param maxKbps kbit/s per side, 0 for none
     * @param maxPps datagrams per second per side, 0 for none
     * @return the decision
     * @throws IllegalArgumentException if a cap is negative
     */
    static PolicyDecision allow(int maxKbps, int maxPps) {
        if (maxKbps < 0 || maxPps < 0) {
            throw new IllegalArgumentException("a cap is 0 (none) or positive, not " + maxKbps + " kbps, " + maxPps + " pps");
        }
        return new PolicyDecisionValue(true, null, null, maxKbps, maxPps);
    }

    /**
     * @param message why, for the requester and the log (for example "domain evil.example is not allowed")
     * @return a denial
     */
    static PolicyDecision deny(String message) {
        return new PolicyDecisionValue(false, Objects.requireNonNull(message, "message"), null, 0, 0);
    }

    /**
     * @param message why
     * @param retryAfter how long until the same request could pass
     * @return a denial that says when to try again
     */
    static PolicyDecision deny(String message, Duration retryAfter) {
        return new PolicyDecisionValue(false, Objects.requireNonNull(message, "message"),
                Objects.requireNonNull(retryAfter, "retryAfter"), 0, 0);
    }
}
