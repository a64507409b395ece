package relay.core;

import relay.api.ExpectedPeer;
import relay.api.Side;

/**
 * One side of a live channel: its RTP socket and, unless RTCP is off, its RTCP socket, with
 * what the two share: the counters of the datagrams received there (one direction of the
 * channel), the cap on them and whether the side has announced its latch.
 *
 * <p>Both sockets of a side live on the channel's one I/O loop, which is the only writer of
 * the counters, the cap and the latch flag: per-side state needs no more care than per-socket
 * state did, and an idle channel holds half as many counters.
 */
final class Leg {

    final LiveChannel channel;
    final Side side;
    /** The pool the ports came from and the RTP port (RTCP is port + 1): enough to give them back. */
    private final PortPool pool;
    final int port;
    /** Ports the side holds in the pool (2 with RTCP, also when its RTCP port is held unbound for rtcp-mux). */
    private final int width;
    final Endpoint rtp;
    /** Null when the channel has no RTCP ports. */
    final Endpoint rtcp;
    /** What was received on this side, both sockets summed as the API reports it. */
    final Counters counters = new Counters();
    /**
     * The cap on datagrams received here; null for no cap, so the many uncapped sides hold no
     * rate state. Loop thread only (or the conductor before the channel reaches its loop).
     */
    RateLimit limit;
    /** Whether the side has announced its first latch. Loop thread only. */
    boolean latched;

    Leg(LiveChannel channel, Side side, PortPool.Lease lease, ExpectedPeer expected) {
        this.channel = channel;
        this.side = side;
        this.pool = lease.pool();
        this.port = lease.port();
        this.width = lease.width();
        this.rtp = new Endpoint(this, lease.rtp(), expected);
        this.rtcp = lease.rtcp() == null ? null : new Endpoint(this, lease.rtcp(), rtcpOf(expected));
    }

    /** Wires each socket to the other side's socket of its kind: RTP to RTP, RTCP to RTCP. */
    static void pair(Leg a, Leg b) {
        Endpoint.pair(a.rtp, b.rtp);
        if (a.rtcp != null) {
            Endpoint.pair(a.rtcp, b.rtcp);
        }
    }

    /** Loop thread (or before the channel reaches its loop): the cap in force, 0 meaning none. */
    void setCaps(int maxKbps, int maxPps) {
        if (maxKbps == 0 && maxPps == 0) {
            limit = null;
        } else {
            if (limit == null) {
                limit = new RateLimit();
            }
            limit.set(maxKbps, maxPps);
        }
    }

    boolean hasPeer() {
        return rtp.peer != null || (rtcp != null && rtcp.peer != null);
    }

    /** Closes the side's sockets; idempotent. */
    void closeSockets() {
        rtp.socket.close();
        if (rtcp != null) {
            rtcp.socket.close();
        }
    }

    /** Conductor, once the sockets are closed: the ports go back to the pool they came from. */
    void release() {
        pool.release(port, width);
    }

    /** RTCP comes from the RTP peer's address, and from its port + 1 when the RTP port is known (RFC 3550). */
    private static ExpectedPeer rtcpOf(ExpectedPeer rtp) {
        return rtp == null || rtp.port() == 0 || rtp.port() == 65535 ? rtp : ExpectedPeer.of(rtp.address(), rtp.port() + 1);
    }
}
