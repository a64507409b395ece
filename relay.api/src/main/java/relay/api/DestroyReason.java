package relay.api;

/** Why a channel was destroyed. */
public enum DestroyReason {
    /** A caller asked for it through {@link RelayService#destroy(String)}. */
    REQUESTED,
    /** Nothing was received for longer than the idle timeout. */
    EXPIRED,
    /** A policy withdrew the owner's right to the channel (for example a domain left the whitelist). */
    REVOKED,
    /** The relay stopped (component deactivated, bundle stopped or updated, framework shut down). */
    SHUTDOWN,
    /**
     * The I/O loop that served the channel died (an unexpected error); the relay replaced the
     * loop, closed the channel's sockets and returned its ports. Only the relay decides it.
     */
    FAULT
}
