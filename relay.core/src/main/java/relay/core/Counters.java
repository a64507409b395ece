package relay.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;

import relay.api.DropReason;
import relay.api.Traffic;

/**
 * Traffic counters of one side of a channel (what its RTP and RTCP sockets received: one
 * direction) and when that side last saw activity, written only by the I/O thread that owns the
 * channel's sockets and read by anyone. Opaque accesses: no lock and no fence on the forwarding
 * path, and readers see every value eventually, never a torn one. What a forwarded datagram
 * writes is in this one object, so forwarding touches no other of the channel's.
 */
final class Counters {

    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle LAST_RX;
    private static final VarHandle DROP = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DropReason[] REASONS = DropReason.values();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(Counters.class, "packets", long.class);
            BYTES = l.findVarHandle(Counters.class, "bytes", long.class);
            LAST_RX = l.findVarHandle(Counters.class, "lastRxNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through PACKETS
    private long packets;
    @SuppressWarnings("unused") // through BYTES
    private long bytes;
    @SuppressWarnings("unused") // through LAST_RX
    private long lastRxNanos;
    private final long[] drops = new long[REASONS.length];

    Counters(long createdNanos) {
        this.lastRxNanos = createdNanos;
    }

    /** Owner thread only: a datagram forwarded at {@code nowNanos}, which is activity. */
    void forwarded(int length, long nowNanos) {
        PACKETS.setOpaque(this, (long) PACKETS.getOpaque(this) + 1);
        BYTES.setOpaque(this, (long) BYTES.getOpaque(this) + length);
        LAST_RX.setOpaque(this, nowNanos);
    }

    /** Owner thread only: activity that forwarded nothing (a latch). */
    void touched(long nowNanos) {
        LAST_RX.setOpaque(this, nowNanos);
    }

    /** Owner thread only. */
    void dropped(DropReason reason) {
        int i = reason.ordinal();
        DROP.setOpaque(drops, i, (long) DROP.getOpaque(drops, i) + 1);
    }

    long packets() {
        return (long) PACKETS.getOpaque(this);
    }

    /** When this side last forwarded or latched, on the loop's clock. */
    long lastRxNanos() {
        return (long) LAST_RX.getOpaque(this);
    }

    Traffic snapshot() {
        EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = (long) DROP.getOpaque(drops, r.ordinal());
            if (n != 0) {
                dropped.put(r, n);
            }
        }
        return Traffic.of(packets(), (long) BYTES.getOpaque(this), dropped);
    }
}
