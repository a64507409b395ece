package relay.policy.quota;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import relay.api.BareJid;

/**
 * A sliding-window limit on allocations per user: at most {@code limit} in any {@link #WINDOW}.
 * It keeps, per user, the times of that user's allocations within the last window, never more
 * than the limit; a user with none costs nothing, and users whose last allocation left the
 * window are swept out at most one window later, without a thread of its own.
 *
 * <p>Thread safe; each user's times change under that user's map entry lock only.
 */
final class RequestRateLimiter {

    /** The span the limit counts over. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final long WINDOW_NANOS = WINDOW.toNanos();

    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<BareJid, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()} */
    RequestRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastSweep = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * @param user a requester
     * @param limit allocations allowed per window, at least 1
     * @return how long until {@code user} may allocate again: zero if now
     */
    Duration waitBefore(BareJid user, int limit) {
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        long[] wait = {0};
        recent.computeIfPresent(user, (u, times) -> {
            prune(times, now);
            if (times.size() >= limit) {
                // The user may go on once all but limit - 1 of the recent allocations have left the window.
                Iterator<Long> oldestFirst = times.iterator();
                for (int i = 0; i < times.size() - limit; i++) {
                    oldestFirst.next();
                }
                wait[0] = oldestFirst.next() + WINDOW_NANOS - now;
            }
            return times.isEmpty() ? null : times;
        });
        return Duration.ofNanos(wait[0]);
    }

    /**
     * Books an allocation by {@code user} now.
     *
     * @param user the channel's owner
     * @param limit allocations allowed per window: older times beyond it no longer matter
     */
    void record(BareJid user, int limit) {
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        recent.compute(user, (u, times) -> {
            ArrayDeque<Long> kept = times == null ? new ArrayDeque<>() : times;
            prune(kept, now);
            kept.addLast(now);
            while (kept.size() > limit) {
                kept.removeFirst();
            }
            return kept;
        });
    }

    /** @return how many users the limiter holds state for */
    int trackedUsers() {
        return recent.size();
    }

    /** Forgets every user, for when the limit is turned off. */
    void clear() {
        recent.clear();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < WINDOW_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (BareJid user : recent.keySet()) {
            recent.computeIfPresent(user, (u, times) -> {
                prune(times, now);
                return times.isEmpty() ? null : times;
            });
        }
    }

    private static void prune(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
    }
}
