package relay.api;

/** Why a datagram received by the relay was not forwarded. */
public enum DropReason {
    /** The far side has no latched peer yet, so there is nobody to send to. */
    NOT_LATCHED,
    /** Strict latching (or handover before the quiet period): the source is not the latched peer. */
    FOREIGN_SOURCE,
    /** The source is one of the relay's own sockets (loop guard). */
    LOOP,
    /** The outgoing socket's send buffer was full. */
    SEND_BUFFER_FULL,
    /** The send failed, for example after an ICMP port-unreachable from the peer. */
    SEND_ERROR,
    /** The side expects a given peer ({@link ExpectedPeer}) and the source is another one. */
    UNEXPECTED_PEER,
    /** The source latched onto more channel sides than a client would: a scanner, refused for a while. */
    SCAN_GUARD,
    /** The side is over its cap ({@code max.kbps}, {@code max.pps}, or a policy's). */
    RATE_LIMITED
}
