package relay.core;

import java.util.concurrent.TimeUnit;

/**
 * The cap on one side of a channel (datagrams received there), as two generic cell rate
 * algorithms, one in bytes and one in datagrams: each remembers when its bucket would be empty
 * (the theoretical arrival time) and admits a datagram unless that lies more than the burst
 * (one second) ahead. Long arithmetic on the loop's clock: no allocation, no division of
 * time by rate per datagram beyond one multiply.
 *
 * <p>Owned by the channel's I/O loop; the conductor changes the caps through the loop's queue.
 */
final class RateLimit {

    private static final long BURST_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Nanoseconds one byte takes at the cap (scaled by 1000 to keep precision); 0: no cap. */
    private long byteCostMilliNanos;
    /** Nanoseconds one datagram takes at the cap; 0: no cap. */
    private long packetCostNanos;
    private long byteTat;
    private long packetTat;
    private int kbps;
    private int pps;

    /** Loop thread (or before the channel reaches its loop). 0: no cap. */
    void set(int maxKbps, int maxPps) {
        kbps = maxKbps;
        pps = maxPps;
        // 1 byte = 8 bits; at k kbit/s a byte takes 8 / (k * 1000) s = 8e6 / k ns, times 1000
        byteCostMilliNanos = maxKbps == 0 ? 0 : 8_000_000_000L / maxKbps;
        packetCostNanos = maxPps == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / maxPps;
    }

    boolean capped() {
        return (byteCostMilliNanos | packetCostNanos) != 0;
    }

    int kbps() {
        return kbps;
    }

    int pps() {
        return pps;
    }

    /** Loop thread: whether a datagram of {@code length} bytes received at {@code now} is within the cap. */
    boolean admit(int length, long now) {
        long byteNext = byteTat;
        if (byteCostMilliNanos != 0) {
            long tat = Math.max(byteTat, now);
            if (tat - now > BURST_NANOS) {
                return false;
            }
            byteNext = tat + length * byteCostMilliNanos / 1000;
        }
        if (packetCostNanos != 0) {
            long tat = Math.max(packetTat, now);
            if (tat - now > BURST_NANOS) {
                return false;
            }
            packetTat = tat + packetCostNanos;
        }
        byteTat = byteNext;
        return true;
    }
}
