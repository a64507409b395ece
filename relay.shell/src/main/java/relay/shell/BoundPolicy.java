package relay.shell;

import java.util.Map;
import java.util.function.BiConsumer;

import relay.api.spi.RelayPolicy;

/** A {@link RelayPolicy} service the shell has bound, with the service properties it shows. */
final class BoundPolicy {

    private final RelayPolicy policy;
    private final long serviceId;
    private final int ranking;

    BoundPolicy(RelayPolicy policy, Map<String, Object> properties) {
        this.policy = policy;
        this.serviceId = serviceId(properties);
        // OSGi: a service.ranking that is not an Integer counts as 0.
        this.ranking = properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    static long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Long id ? id : -1;
    }

    long serviceId() {
        return serviceId;
    }

    /**
     * Asks the policy for its name and summary now, so the shell shows its current
     * configuration; a policy that throws is shown as such and logged, never breaks the listing.
     */
    PolicyInfo info(BiConsumer<String, RuntimeException> onFailure) {
        String name;
        String description;
        try {
            name = policy.name();
        } catch (RuntimeException e) {
            onFailure.accept("name() of policy service " + serviceId, e);
            name = "?";
        }
        try {
            description = Units.oneLine(String.valueOf(policy.describe()), 200);
        } catch (RuntimeException e) {
            onFailure.accept("describe() of policy service " + serviceId, e);
            description = "(describe() failed: " + Units.oneLine(String.valueOf(e), 80) + ")";
        }
        return new PolicyInfo(serviceId, ranking, name, description);
    }
}
