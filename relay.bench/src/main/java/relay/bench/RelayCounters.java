package relay.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's own traffic totals, from {@code forwarded} of {@code GET /relay/stats}: datagrams
 * it forwarded, and datagrams it dropped by reason ({@code FOREIGN_SOURCE}, {@code LOOP}, ...).
 * Two readings around a window give what the relay did in it.
 */
record RelayCounters(long forwardedPackets, Map<String, Long> dropped) {

    RelayCounters {
        dropped = Map.copyOf(dropped);
    }

    /**
     * Reads the {@code forwarded} member of the relay's stats; null when the answer has none (a
     * stand-in or another relay's API), so the figures that need it are left out.
     */
    static RelayCounters of(Map<String, Object> stats) {
        if (!(stats.get("forwarded") instanceof Map<?, ?> forwarded)) {
            return null;
        }
        if (!(forwarded.get("packets") instanceof Long packets)) {
            throw new IllegalArgumentException("stats: forwarded.packets is not a number: " + forwarded.get("packets"));
        }
        Map<String, Long> dropped = new TreeMap<>();
        if (forwarded.get("dropped") instanceof Map<?, ?> reasons) {
            for (Map.Entry<?, ?> e : reasons.entrySet()) {
                if (!(e.getValue() instanceof Long n)) {
                    throw new IllegalArgumentException("stats: forwarded.dropped." + e.getKey() + " is not a number: "
                            + e.getValue());
                }
                dropped.put(String.valueOf(e.getKey()), n);
            }
        } else if (forwarded.get("dropped") != null) {
            throw new IllegalArgumentException("stats: forwarded.dropped is not an object: " + forwarded.get("dropped"));
        }
        return new RelayCounters(packets, dropped);
    }

    /** What happened between {@code before} and this reading; reasons that did not move are left out. */
    RelayCounters minus(RelayCounters before) {
        Map<String, Long> delta = new TreeMap<>();
        for (Map.Entry<String, Long> e : dropped.entrySet()) {
            long d = e.getValue() - before.dropped.getOrDefault(e.getKey(), 0L);
            if (d != 0) {
                delta.put(e.getKey(), d);
            }
        }
        return new RelayCounters(forwardedPackets - before.forwardedPackets, delta);
    }

    /** Datagrams dropped, all reasons together. */
    long droppedTotal() {
        long sum = 0;
        for (long n : dropped.values()) {
            sum += n;
        }
        return sum;
    }
}
