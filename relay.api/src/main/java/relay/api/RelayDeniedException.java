package relay.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The relay refused to allocate a channel. Nothing was allocated: no port is held and no
 * listener was told.
 */
public class RelayDeniedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request was denied. */
    public enum Reason {
        /** A {@link relay.api.spi.RelayPolicy} said no; {@link #policy()} names it. */
        POLICY,
        /** The relay holds {@code max.channels} channels already. */
        CAPACITY,
        /** No free port (pair) is left in the configured range. */
        PORTS_EXHAUSTED,
        /** The relay is draining: live channels run on, no new ones are made. */
        DRAINING,
        /** The process has run out of a resource other than ports: file descriptors, memory for sockets. */
        RESOURCES
    }

    private final Reason reason;
    private final String policy;
    private final Duration retryAfter;

    /**
     * @param reason why
     * @param policy the denying policy's {@link relay.api.spi.RelayPolicy#name()}, or {@code null} when no policy denied
     * @param message a sentence a person can read
     * @param retryAfter when trying again could succeed, or {@code null}
     */
    public RelayDeniedException(Reason reason, String policy, String message, Duration retryAfter) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.policy = policy;
        this.retryAfter = retryAfter;
    }

    /**
     * @param reason why
     * @param message a sentence a person can read
     */
    public RelayDeniedException(Reason reason, String message) {
        this(reason, null, message, null);
    }

    /** @return why the request was denied */
    public Reason reason() {
        return reason;
    }

    /** @return the denying policy's name, or {@code null} if the denial did not come from a policy */
    public String policy() {
        return policy;
    }

    /** @return when trying again could succeed, or {@code null} if unknown */
    public Duration retryAfter() {
        return retryAfter;
    }
}
