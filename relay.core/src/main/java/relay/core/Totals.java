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
    private final Map<DestroyReason, LongAdder> destroyed = adders(DestroyReason.class);
    private final Map<RelayDeniedException.Reason, LongAdder> denied = adders(RelayDeniedException.Reason.class);
    /** Traffic of channels already destroyed; live channels are summed on demand. */
    private Traffic retired = Traffic.NONE;

    void destroyed(DestroyReason reason, Traffic aToB, Traffic bToA) {
        destroyed.get(reason).increment();
        synchronized (this) {
            retired = retired.plus(aToB).plus(bToA);
        }
    }

    void denied(RelayDeniedException.Reason reason) {
        denied.get(reason).increment();
    }

    synchronized Traffic retired() {
        return retired;
    }

    Map<DestroyReason, Long> destroyed() {
        return sums(destroyed);
    }

    Map<RelayDeniedException.Reason, Long> denied() {
        return sums(denied);
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
