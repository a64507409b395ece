package relay.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;

import relay.api.DropReason;
import relay.api.Traffic;

/**
 * Traffic counters of one socket, written only by the I/O thread that owns the socket and read
 * by anyone. Opaque accesses: no lock and no fence on the forwarding path, and readers see
 * every value eventually, never a torn one.
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

    /** @return the counters of {@code all} summed up, as an API snapshot */
    static Traffic snapshot(Counters... all) {
        long packets = 0;
        long bytes = 0;
        EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (Counters c : all) {
            if (c == null) {
                continue;
            }
            packets += (long) SLOT.getOpaque(c.slots, PACKETS);
            bytes += (long) SLOT.getOpaque(c.slots, BYTES);
            for (DropReason r : REASONS) {
                long n = (long) SLOT.getOpaque(c.slots, DROPS + r.ordinal());
                if (n != 0) {
                    drops.merge(r, n, Long::sum);
                }
            }
        }
        return Traffic.of(packets, bytes, drops);
    }

    private void add(int slot, long n) {
        SLOT.setOpaque(slots, slot, (long) SLOT.getOpaque(slots, slot) + n);
    }
}
