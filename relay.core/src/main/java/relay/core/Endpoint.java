package relay.core;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

import relay.api.ExpectedPeer;
import relay.api.Side;

/**
 * One socket of a channel (side A or B, RTP or RTCP) with the peer it latched onto. Owned by
 * the channel's I/O loop: only that thread writes the fields, others read snapshots.
 */
final class Endpoint {

    final LiveChannel channel;
    final Side side;
    final boolean rtcp;
    final DatagramChannel socket;
    /** The only source this socket may latch onto, or null for the first one (see {@link relay.api.ExpectedPeer}). */
    final ExpectedPeer expected;
    final Counters counters = new Counters();
    /** The cap on datagrams received on this side, shared with the side's other socket. */
    final RateLimit limit;
    /** The socket of the other side that datagrams received here leave from; set once at wiring. */
    Endpoint twin;
    /** The latched peer; {@code null} until the first datagram. Volatile for snapshot readers. */
    volatile InetSocketAddress peer;
    /** When the latched peer last sent (loop thread only), for handover. */
    long peerLastRxNanos;
    /** The loop's select round in which this socket was last readable (loop thread only). */
    long readyRound;

    Endpoint(LiveChannel channel, Side side, boolean rtcp, DatagramChannel socket, ExpectedPeer expected,
            RateLimit limit) {
        this.channel = channel;
        this.side = side;
        this.rtcp = rtcp;
        this.socket = socket;
        this.expected = expected;
        this.limit = limit;
    }

    static void pair(Endpoint a, Endpoint b) {
        a.twin = b;
        b.twin = a;
    }
}
