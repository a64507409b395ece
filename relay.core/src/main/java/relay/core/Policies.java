package relay.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import relay.api.spi.RelayPolicy;

/**
 * The bound {@link RelayPolicy} services in service ranking order (highest first, then oldest
 * first), as an immutable array that a request reads once: a policy that comes or goes during a
 * request affects the next one.
 */
final class Policies {

    private record Entry(RelayPolicy policy, String name, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private volatile RelayPolicy[] current = new RelayPolicy[0];
    /** Names as the policies gave them when bound, so that a broken {@code name()} is asked once. */
    private volatile Map<RelayPolicy, String> names = Map.of();
    private volatile Set<String> boundNames = Set.of();
    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(RelayPolicy policy, Map<String, ?> properties) {
        entries.add(new Entry(policy, askName(policy), intOf(properties.get("service.ranking")),
                longOf(properties.get("service.id"))));
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

    /** @return whether a policy of that name is bound now */
    boolean isBound(String name) {
        return boundNames.contains(name);
    }

    /** @return the name the policy gave when bound */
    String nameOf(RelayPolicy policy) {
        String n = names.get(policy);
        return n != null ? n : askName(policy);
    }

    private void publish() {
        current = entries.stream().map(Entry::policy).toArray(RelayPolicy[]::new);
        Map<RelayPolicy, String> m = new java.util.IdentityHashMap<>();
        entries.forEach(e -> m.put(e.policy, e.name));
        names = m;
        boundNames = Set.copyOf(m.values());
    }

    private static String askName(RelayPolicy p) {
        try {
            String n = p.name();
            return n == null ? p.getClass().getName() : n;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return p.getClass().getName();
        }
    }

    private static int intOf(Object o) {
        return o instanceof Integer i ? i : 0;
    }

    private static long longOf(Object o) {
        return o instanceof Long l ? l : Long.MAX_VALUE;
    }
}
