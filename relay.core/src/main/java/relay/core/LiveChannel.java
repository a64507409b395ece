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
import relay.api.RelayChannel;
import relay.api.Side;

/**
 * A channel while it lives: its two {@link Leg}s (each a side's sockets, counters and cap),
 * wired RTP to RTP and RTCP to RTCP, and the bookkeeping the idle sweep and the snapshots need.
 *
 * <p>Who writes what: the conductor its life cycle ({@link #ending}, {@link #waiter}); the I/O
 * loop its peers, counters, caps, latch flags and {@link #lastRxNanos}; everyone else only reads.
 *
 * <p>Thousands of idle channels may live at once, so a channel holds only what it needs: no
 * copy of the port leases, no cap state while uncapped, its creation time as a number.
 */
final class LiveChannel {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
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
    /** Strict latching in the kernel too: a socket that latched is connected to its peer (latch.connect). */
    final boolean connectOnLatch;
    /** When the channel was made, in nanoseconds since the epoch (an {@link Instant} would be one more object). */
    private final long createdEpochNanos;
    final long createdNanos;
    final Leg a;
    final Leg b;
    final IoLoop loop;
    /** The caps a policy asked for at allocation (0: none); the configuration's are applied on top. */
    final int policyKbps;
    final int policyPps;
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

    LiveChannel(String id, ChannelRequest request, String host, String hostB, boolean handover, boolean connectOnLatch, PortPool.Lease leaseA,
            PortPool.Lease leaseB, IoLoop loop, long nowNanos, int policyKbps, int policyPps) {
        this.policyKbps = policyKbps;
        this.policyPps = policyPps;
        this.id = id;
        this.owner = request.user();
        this.host = host;
        this.hostB = host.equals(hostB) ? null : hostB;
        this.handover = handover;
        this.connectOnLatch = connectOnLatch && !handover;
        Instant now = Instant.now();
        this.createdEpochNanos = now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
        this.createdNanos = nowNanos;
        this.lastRxNanos = createdNanos;
        this.loop = loop;
        this.a = new Leg(this, Side.A, leaseA, request.expectedPeer(Side.A).orElse(null));
        this.b = new Leg(this, Side.B, leaseB, request.expectedPeer(Side.B).orElse(null));
        Leg.pair(a, b);
    }

    /** Loop thread, or the conductor before the channel reaches its loop: the caps in force on both sides. */
    void setCaps(int maxKbps, int maxPps) {
        a.setCaps(maxKbps, maxPps);
        b.setCaps(maxKbps, maxPps);
        capKbps = maxKbps;
        capPps = maxPps;
    }

    /** The lower of two caps, 0 meaning none. */
    static int lower(int a, int b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    Endpoint[] endpoints() {
        return a.rtcp == null ? new Endpoint[] {a.rtp, b.rtp} : new Endpoint[] {a.rtp, a.rtcp, b.rtp, b.rtcp};
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
        a.closeSockets();
        b.closeSockets();
    }

    /** Conductor, once the sockets are closed: every port goes back to its pool. */
    void releasePorts() {
        a.release();
        b.release();
    }

    boolean sideLatched(Side side) {
        return (side == Side.A ? a : b).hasPeer();
    }

    Instant created() {
        return Instant.ofEpochSecond(0, createdEpochNanos);
    }

    RelayChannel snapshot(long expireSeconds) {
        boolean latchedA = a.hasPeer();
        boolean latchedB = b.hasPeer();
        ChannelState state = isDestroyed() ? ChannelState.DESTROYED
                : latchedA && latchedB ? ChannelState.ACTIVE
                : latchedA || latchedB ? ChannelState.HALF_LATCHED : ChannelState.WAITING;
        Instant created = created();
        Instant last = created.plusNanos(lastRxNanos() - createdNanos);
        return RelayChannel.builder().id(id).owner(owner).host(host).rtcp(a.rtcp != null)
                .sideA(side(a).withHost(hostB == null ? null : host))
                .sideB(side(b).withHost(hostB)).created(created)
                .lastActivity(last).expire(expireSeconds).state(state)
                .aToB(a.counters.snapshot())
                .bToA(b.counters.snapshot())
                .caps(capKbps, capPps).build();
    }

    Duration age(long nowNanos) {
        return Duration.ofNanos(nowNanos - createdNanos);
    }

    private static ChannelSide side(Leg leg) {
        Endpoint rtcp = leg.rtcp;
        return ChannelSide.of(leg.port, rtcp == null ? 0 : leg.port + 1, leg.rtp.peer, rtcp == null ? null : rtcp.peer)
                .withExpectedPeer(leg.rtp.expected);
    }
}
