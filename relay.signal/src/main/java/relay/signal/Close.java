package relay.signal;

/** The close codes of the protocol (DESIGN.md, "Signalling"). */
final class Close {

    /** The client closed cleanly: its session ends at once. */
    static final int NORMAL = 1000;
    /** The client went away (page closed), or the node is stopping. */
    static final int GOING_AWAY = 1001;
    /** A client that does not read its frames: past its send budget. */
    static final int POLICY = 1008;
    /** A frame larger than max.frame.bytes (Jetty closes with it). */
    static final int TOO_BIG = 1009;
    /** No hello in time, a frame before hello, a bad or expired token, an unknown resume token. */
    static final int UNAUTHORIZED = 4401;
    /** Kicked by an operator (REST DELETE /signal/endpoints/{id}, signal:kick). */
    static final int KICKED = 4403;
    /** Missed pongs. */
    static final int HEARTBEAT = 4408;
    /** The same endpoint resumed on another connection. */
    static final int REPLACED = 4409;
    /** Sustained flooding, or too many connections for the user or the address. */
    static final int TOO_MANY = 4429;

    private Close() {
    }
}
