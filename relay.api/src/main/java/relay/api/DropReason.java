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
    SEND_ERROR
}
