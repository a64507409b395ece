package relay.core;

import java.net.InetSocketAddress;

import relay.api.ExpectedPeer;

/**
 * One socket of a channel (side A or B, RTP or RTCP) with the peer it latched onto. Owned by
 * the channel's I/O loop: only that thread writes the fields, others read snapshots. What the
 * side's sockets share (counters, cap, latch flag) is in its {@link Leg}.
 */
final class Endpoint {

    final Leg leg;
    final UdpSocket socket;
    /** The only source this socket may latch onto, or null for the first one (see {@link relay.api.ExpectedPeer}). */
    final ExpectedPeer expected;
    /** The socket of the other side that datagrams received here leave from; set once at wiring. */
    Endpoint twin;
    /** The latched peer; {@code null} until the first datagram. Volatile for snapshot readers. */
    volatile InetSocketAddress peer;
    /** When the latched peer last sent (loop thread only), for handover. */
    long peerLastRxNanos;
    /**
     * Latched with {@link LiveChannel#connectOnLatch}: connect the socket once its queue is read dry (loop thread
     * only). Not at once, because connecting discards what is queued.
     */
    boolean connectPending;
    /** Connected to {@link #peer}: the kernel drops other sources, and sends go out with write (loop thread only). */
    boolean connected;
    /** The loop's select round in which this socket was last readable (loop thread only). */
    int readyRound;

    Endpoint(Leg leg, UdpSocket socket, ExpectedPeer expected) {
        this.leg = leg;
        this.socket = socket;
        this.expected = expected;
    }

    static void pair(Endpoint a, Endpoint b) {
        a.twin = b;
        b.twin = a;
    }
}
