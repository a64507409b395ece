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

    /** @return the decision that lets the request pass this policy */
    static PolicyDecision allow() {
        return PolicyDecisionValue.ALLOW;
    }

    /**
     * @param message why, for the requester and the log (for example "domain evil.example is not allowed")
     * @return a denial
     */
    static PolicyDecision deny(String message) {
        return new PolicyDecisionValue(false, Objects.requireNonNull(message, "message"), null);
    }

    /**
     * @param message why
     * @param retryAfter how long until the same request could pass
     * @return a denial that says when to try again
     */
    static PolicyDecision deny(String message, Duration retryAfter) {
        return new PolicyDecisionValue(false, Objects.requireNonNull(message, "message"),
                Objects.requireNonNull(retryAfter, "retryAfter"));
    }
}
