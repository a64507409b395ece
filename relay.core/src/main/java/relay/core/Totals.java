package relay.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import relay.api.DestroyReason;
import relay.api.RelayDeniedException;
import relay.api.Traffic;

/** Relay-wide counters since start, for {@link relay.api.RelayStats}. */
final class Totals {

    final LongAdder allocated = new LongAdder();
    final LongAdder invalid = new LongAdder();
    /** I/O loops that died and were replaced. */
    final LongAdder loopFaults = new LongAdder();
    /** How long allocations take, from the caller's request to its answer. */
    final Latencies allocationSeconds = new Latencies();
    private final Map<DestroyReason, LongAdder> destroyed = adders(DestroyReason.class);
    private final Map<RelayDeniedException.Reason, LongAdder> denied = adders(RelayDeniedException.Reason.class);
    /** Traffic of channels already destroyed (written by the conductor alone); live ones are summed on demand. */
    private volatile Traffic retired = Traffic.NONE;

    /** Conductor only. */
    void destroyed(DestroyReason reason, Traffic aToB, Traffic bToA) {
        destroyed.get(reason).increment();
        retired = retired.plus(aToB).plus(bToA);
    }

    /** Denials by the name of the policy that denied (or that was required and away). */
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> deniedByPolicy =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Counts a denial and makes the exception that tells the caller. */
    RelayDeniedException denied(RelayDeniedException.Reason reason, String policy, String message,
            java.time.Duration retryAfter) {
        denied.get(reason).increment();
        if (policy != null) {
            deniedByPolicy.computeIfAbsent(policy, k -> new LongAdder()).increment();
        }
        return new RelayDeniedException(reason, policy, message, retryAfter);
    }

    Traffic retired() {
        return retired;
    }

    Map<DestroyReason, Long> destroyed() {
        return sums(destroyed);
    }

    Map<RelayDeniedException.Reason, Long> denied() {
        return sums(denied);
    }

    Map<String, Long> deniedByPolicy() {
        Map<String, Long> m = new java.util.HashMap<>();
        deniedByPolicy.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private static <E extends Enum<E>> Map<E, LongAdder> adders(Class<E> type) {
        Map<E, LongAdder> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, new LongAdder());
        }
        return m;
    }

    private static <E extends Enum<E>> Map<E, Long> sums(Map<E, LongAdder> adders) {
        Map<E, Long> m = new java.util.HashMap<>();
        adders.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
