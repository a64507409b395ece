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
 */
final class Counters {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final DropReason[] REASONS = DropReason.values();
    private static final int PACKETS = 0;
    private static final int BYTES = 1;
    private static final int DROPS = 2;

    private final long[] slots = new long[DROPS + REASONS.length];

    /** Owner thread only. */
    void forwarded(int bytes) {
        add(PACKETS, 1);
        add(BYTES, bytes);
    }

    /** Owner thread only. */
    void dropped(DropReason reason) {
        add(DROPS + reason.ordinal(), 1);
    }

    long packets() {
        return (long) SLOT.getOpaque(slots, PACKETS);
    }

    /** @return the counters as an API snapshot */
    Traffic snapshot() {
        EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = (long) SLOT.getOpaque(slots, DROPS + r.ordinal());
            if (n != 0) {
                drops.put(r, n);
            }
        }
        return Traffic.of((long) SLOT.getOpaque(slots, PACKETS), (long) SLOT.getOpaque(slots, BYTES), drops);
    }

    private void add(int slot, long n) {
        SLOT.setOpaque(slots, slot, (long) SLOT.getOpaque(slots, slot) + n);
    }
}
