package relay.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;

import relay.api.DropReason;
import relay.api.Traffic;

/**
 * Traffic counters of one side of a channel (what its RTP and RTCP sockets received: one
 * direction), written only by the I/O thread that owns the channel's sockets and read by
 * anyone. Opaque accesses: no lock and no fence on the forwarding path, and readers see every
 * value eventually, never a torn one.
 *
 * <p>Most sides never drop a datagram, so the drop counters are made at a side's first drop,
 * once: an idle channel holds two longs per side, and a forwarded datagram writes this object
 * only.
 */
final class Counters {

    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle DROPS;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DropReason[] REASONS = DropReason.values();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(Counters.class, "packets", long.class);
            BYTES = l.findVarHandle(Counters.class, "bytes", long.class);
            DROPS = l.findVarHandle(Counters.class, "drops", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through PACKETS
    private long packets;
    @SuppressWarnings("unused") // through BYTES
    private long bytes;
    /** Per {@link DropReason#ordinal()}; null until the first drop. Owner thread writes, release/acquire. */
    @SuppressWarnings("unused") // through DROPS
    private long[] drops;

    /** Owner thread only. */
    void forwarded(int length) {
        PACKETS.setOpaque(this, (long) PACKETS.getOpaque(this) + 1);
        BYTES.setOpaque(this, (long) BYTES.getOpaque(this) + length);
    }

    /** Owner thread only. */
    void dropped(DropReason reason) {
        long[] d = (long[]) DROPS.getOpaque(this);
        if (d == null) { // once per side: the array is published before any count in it
            d = new long[REASONS.length];
            DROPS.setRelease(this, d);
        }
        int i = reason.ordinal();
        SLOT.setOpaque(d, i, (long) SLOT.getOpaque(d, i) + 1);
    }

    long packets() {
        return (long) PACKETS.getOpaque(this);
    }

    /** @return the counters as an API snapshot */
    Traffic snapshot() {
        EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        long[] d = (long[]) DROPS.getAcquire(this);
        if (d != null) {
            for (DropReason r : REASONS) {
                long n = (long) SLOT.getOpaque(d, r.ordinal());
                if (n != 0) {
                    dropped.put(r, n);
                }
            }
        }
        return Traffic.of(packets(), (long) BYTES.getOpaque(this), dropped);
    }
}
