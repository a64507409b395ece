package relay.api;

/** Where a channel is in its life. */
public enum ChannelState {
    /** Ports are open; no side has latched onto a peer yet. */
    WAITING,
    /** One side has latched; datagrams from it are dropped until the other side latches. */
    HALF_LATCHED,
    /** Both sides have latched; media flows both ways. */
    ACTIVE,
    /** The channel is gone and its ports are back in the pool. */
    DESTROYED
}
