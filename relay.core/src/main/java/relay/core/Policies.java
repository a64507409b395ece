package relay.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import relay.api.spi.RelayPolicy;

/**
 * The bound {@link RelayPolicy} services in service ranking order (highest first, then oldest
 * first), as an immutable array that a request reads once: a policy that comes or goes during a
 * request affects the next one.
 */
final class Policies {

    private record Entry(RelayPolicy policy, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private volatile RelayPolicy[] current = new RelayPolicy[0];
    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(RelayPolicy policy, Map<String, ?> properties) {
        entries.add(new Entry(policy, intOf(properties.get("service.ranking")), longOf(properties.get("service.id"))));
        entries.sort(ORDER);
        publish();
    }

    /** A policy's service properties changed (its ranking, or its configuration): one publication, no gap. */
    synchronized void update(RelayPolicy policy, Map<String, ?> properties) {
        entries.removeIf(e -> e.policy == policy);
        add(policy, properties);
    }

    synchronized void remove(RelayPolicy policy) {
        entries.removeIf(e -> e.policy == policy);
        publish();
    }

    RelayPolicy[] current() {
        return current;
    }

    private void publish() {
        current = entries.stream().map(Entry::policy).toArray(RelayPolicy[]::new);
    }

    private static int intOf(Object o) {
        return o instanceof Integer i ? i : 0;
    }

    private static long longOf(Object o) {
        return o instanceof Long l ? l : Long.MAX_VALUE;
    }
}
