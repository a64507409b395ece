package relay.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ChannelSide;
import relay.api.ChannelState;
import relay.api.DestroyReason;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.Side;

/**
 * A channel while it lives: its sockets, wired into two pairs of {@link Endpoint}s (RTP to RTP,
 * RTCP to RTCP), and the bookkeeping the idle sweep and the snapshots need.
 *
 * <p>Who writes what: the conductor its life cycle ({@link #ending}, {@link #waiter}); the I/O
 * loop its peers, counters, latch flags and {@link #lastRxNanos}; everyone else only reads.
 */
final class LiveChannel {

    private static final VarHandle LAST_RX;

    static {
        try {
            LAST_RX = MethodHandles.lookup().findVarHandle(LiveChannel.class, "lastRxNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String id;
    final BareJid owner;
    final String host;
    /** Side B's address when it differs from side A's (a bridge between IP versions), else null. */
    final String hostB;
    final boolean handover;
    final Instant created;
    final long createdNanos;
    final PortPool.Lease leaseA;
    final PortPool.Lease leaseB;
    final Endpoint rtpA;
    final Endpoint rtpB;
    final Endpoint rtcpA;
    final Endpoint rtcpB;
    final IoLoop loop;
    /** The caps a policy asked for at allocation (0: none); the configuration's are applied on top. */
    final int policyKbps;
    final int policyPps;
    private final RateLimit limitA = new RateLimit();
    private final RateLimit limitB = new RateLimit();
    /** The caps in force, for snapshots (written on the loop thread). */
    private volatile int capKbps;
    private volatile int capPps;
    /** Why the channel is being destroyed; null while it lives. Conductor only. */
    DestroyReason ending;
    /** The caller waiting for the destroy to finish, if any. Conductor only. */
    CompletableFuture<Optional<RelayChannel>> waiter;
    /** Set by the conductor when the destroy starts; read by snapshots on any thread. */
    private volatile boolean destroyed;
    /** Written by the loop thread per datagram (opaque); read by the idle sweep. */
    @SuppressWarnings("unused")
    private long lastRxNanos;
    /** Loop thread only: whether each side has announced its latch. */
    boolean latchedA;
    boolean latchedB;

    LiveChannel(String id, ChannelRequest request, String host, String hostB, boolean handover, PortPool.Lease leaseA,
            PortPool.Lease leaseB, IoLoop loop, long nowNanos, int policyKbps, int policyPps) {
        this.policyKbps = policyKbps;
        this.policyPps = policyPps;
        this.id = id;
        this.owner = request.user();
        ExpectedPeer peerA = request.expectedPeer(Side.A).orElse(null);
        ExpectedPeer peerB = request.expectedPeer(Side.B).orElse(null);
        this.host = host;
        this.hostB = host.equals(hostB) ? null : hostB;
        this.handover = handover;
        this.created = Instant.now();
        this.createdNanos = nowNanos;
        this.lastRxNanos = createdNanos;
        this.leaseA = leaseA;
        this.leaseB = leaseB;
        this.loop = loop;
        this.rtpA = new Endpoint(this, Side.A, false, leaseA.rtp(), peerA, limitA);
        this.rtpB = new Endpoint(this, Side.B, false, leaseB.rtp(), peerB, limitB);
        Endpoint.pair(rtpA, rtpB);
        if (leaseA.rtcp() != null) {
            this.rtcpA = new Endpoint(this, Side.A, true, leaseA.rtcp(), rtcpOf(peerA), limitA);
            this.rtcpB = new Endpoint(this, Side.B, true, leaseB.rtcp(), rtcpOf(peerB), limitB);
            Endpoint.pair(rtcpA, rtcpB);
        } else {
            this.rtcpA = null;
            this.rtcpB = null;
        }
    }

    /** Loop thread, or the conductor before the channel reaches its loop: the caps in force on both sides. */
    void setCaps(int maxKbps, int maxPps) {
        limitA.set(maxKbps, maxPps);
        limitB.set(maxKbps, maxPps);
        capKbps = maxKbps;
        capPps = maxPps;
    }

    /** The lower of two caps, 0 meaning none. */
    static int lower(int a, int b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    Endpoint[] endpoints() {
        return rtcpA == null ? new Endpoint[] {rtpA, rtpB} : new Endpoint[] {rtpA, rtcpA, rtpB, rtcpB};
    }

    /** Loop thread: a datagram arrived now. */
    void touched(long nowNanos) {
        LAST_RX.setOpaque(this, nowNanos);
    }

    long lastRxNanos() {
        return (long) LAST_RX.getOpaque(this);
    }

    /** Conductor: the destroy starts now, for {@code reason}. */
    void startDestroy(DestroyReason reason) {
        ending = reason;
        destroyed = true;
    }

    boolean isDestroyed() {
        return destroyed;
    }

    /** Closes every socket; idempotent. The loop's job, or the conductor's once the loop is dead. */
    void closeSockets() {
        leaseA.closeQuietly();
        leaseB.closeQuietly();
    }

    boolean sideLatched(Side side) {
        return side == Side.A ? rtpA.peer != null || (rtcpA != null && rtcpA.peer != null)
                : rtpB.peer != null || (rtcpB != null && rtcpB.peer != null);
    }

    RelayChannel snapshot(long expireSeconds) {
        boolean a = sideLatched(Side.A);
        boolean b = sideLatched(Side.B);
        ChannelState state = isDestroyed() ? ChannelState.DESTROYED
                : a && b ? ChannelState.ACTIVE : a || b ? ChannelState.HALF_LATCHED : ChannelState.WAITING;
        Instant last = created.plusNanos(lastRxNanos() - createdNanos);
        return RelayChannel.builder().id(id).owner(owner).host(host).rtcp(rtcpA != null)
                .sideA(side(leaseA, rtpA, rtcpA).withHost(hostB == null ? null : host))
                .sideB(side(leaseB, rtpB, rtcpB).withHost(hostB)).created(created)
                .lastActivity(last).expire(expireSeconds).state(state)
                .aToB(Counters.snapshot(rtpA.counters, rtcpA == null ? null : rtcpA.counters))
                .bToA(Counters.snapshot(rtpB.counters, rtcpB == null ? null : rtcpB.counters))
                .caps(capKbps, capPps).build();
    }

    Duration age(long nowNanos) {
        return Duration.ofNanos(nowNanos - createdNanos);
    }

    private static ChannelSide side(PortPool.Lease lease, Endpoint rtp, Endpoint rtcp) {
        return ChannelSide.of(lease.port(), rtcp == null ? 0 : lease.port() + 1, rtp.peer,
                rtcp == null ? null : rtcp.peer).withExpectedPeer(rtp.expected);
    }

    /** RTCP comes from the RTP peer's address, and from its port + 1 when the RTP port is known (RFC 3550). */
    private static ExpectedPeer rtcpOf(ExpectedPeer rtp) {
        return rtp == null || rtp.port() == 0 || rtp.port() == 65535 ? rtp : ExpectedPeer.of(rtp.address(), rtp.port() + 1);
    }
}
