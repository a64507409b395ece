package relay.core;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import relay.api.Addresses;

/**
 * Refuses latches from a source that latches onto more ports than a client would: a client
 * latches 1 to 4 ports per call, a scanner spraying the port range latches every port it finds.
 * A source over {@code scan.guard.ports} latches within 10 s is refused for
 * {@code scan.guard.seconds}. Sources in {@code scan.guard.exempt} (by default the host's own
 * loopback addresses) are never refused.
 *
 * <p>Shared by the I/O loops, consulted only for a datagram that would latch (never for one
 * from a latched peer); a refused source costs a map lookup and a volatile read.
 */
final class ScanGuard {

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What one source did lately. Its counts are changed under its own lock, rarely. */
    private static final class Source {
        long windowStart;
        int latches;
        volatile long blockedUntil;

        Source(long now) {
            windowStart = now;
            blockedUntil = now;
        }
    }

    private final ConcurrentHashMap<InetAddress, Source> sources = new ConcurrentHashMap<>();
    private final Consumer<String> warn;
    private volatile int limit;
    private volatile long blockNanos;
    /** Sources never refused (an SBC or media server behind one address, the host itself). */
    private volatile AddressPrefix[] exempt = new AddressPrefix[0];

    /** @param warn takes the one line logged per source and period; must not block */
    ScanGuard(Consumer<String> warn) {
        this.warn = warn;
    }

    void configure(int ports, int seconds, java.util.List<AddressPrefix> exempted) {
        limit = ports;
        blockNanos = TimeUnit.SECONDS.toNanos(seconds);
        exempt = exempted.toArray(new AddressPrefix[0]);
    }

    /** I/O thread: may {@code source} latch one more port now? Counts the latch if so. */
    boolean admit(InetAddress source, long now) {
        int max = limit;
        if (max == 0) {
            return true;
        }
        for (AddressPrefix p : exempt) {
            if (p.matches(source)) {
                return true;
            }
        }
        Source s = sources.get(source);
        if (s != null && now - s.blockedUntil < 0) {
            return false;
        }
        if (s == null) {
            s = sources.computeIfAbsent(source, k -> new Source(now));
        }
        synchronized (s) {
            if (now - s.blockedUntil < 0) { // blocked by another loop a moment ago
                return false;
            }
            if (now - s.windowStart > WINDOW_NANOS) {
                s.windowStart = now;
                s.latches = 0;
            }
            if (++s.latches <= max) {
                return true;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(blockNanos);
            s.blockedUntil = now + blockNanos;
            s.windowStart = s.blockedUntil; // counting starts afresh when the period is over
            s.latches = 0;
            warn.accept("scan guard: " + Addresses.host(source) + " latched more than " + max
                    + " ports within 10 s; its latches are refused for " + seconds + " s");
            return false;
        }
    }

    /** Conductor: forgets sources that are neither counting nor refused any more. */
    void purge(long now) {
        sources.values().removeIf(s -> now - s.windowStart > WINDOW_NANOS && now - s.blockedUntil >= 0);
    }
}
