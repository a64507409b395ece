package relay.api;

/**
 * One of the two sides of a channel. The requester sends to side {@link #A} (Jingle
 * {@code localport}); the other party sends to side {@link #B} (Jingle {@code remoteport}).
 */
public enum Side {
    /** The requester's side. */
    A,
    /** The other party's side. */
    B;

    /** @return the side that datagrams received on this side are forwarded to */
    public Side other() {
        return this == A ? B : A;
    }
}
