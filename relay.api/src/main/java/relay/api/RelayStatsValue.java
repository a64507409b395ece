package relay.api;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The one implementation of {@link RelayStats}; {@link RelayStats.Builder} checks the values. */
record RelayStatsValue(Instant started, int liveChannels, long allocated, Map<DestroyReason, Long> destroyed,
        Map<RelayDeniedException.Reason, Long> denied, long invalid, Traffic forwarded, int portsFree, int portsTotal,
        boolean draining, int maxChannels, long ioLoopFaults, int effectiveCapacity, long listenerDrops,
        long listenerFailures, Histogram allocationSeconds, java.util.List<Double> ioLoopBusy,
        Map<String, Long> deniedByPolicy)
        implements RelayStats {

    /** @return an unmodifiable copy of {@code counts} in enum order, zeros kept */
    static <E extends Enum<E>> Map<E, Long> counts(Class<E> type, Map<E, Long> counts, String name) {
        EnumMap<E, Long> copy = new EnumMap<>(type);
        Objects.requireNonNull(counts, name).forEach((k, v) -> copy.put(Objects.requireNonNull(k, name),
                Objects.requireNonNull(v, name)));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return "RelayStats[started=" + started + ", liveChannels=" + liveChannels + ", allocated=" + allocated
                + ", destroyed=" + destroyed + ", denied=" + denied + ", invalid=" + invalid + ", forwarded=" + forwarded
                + ", portsFree=" + portsFree + ", portsTotal=" + portsTotal + ", draining=" + draining
                + ", maxChannels=" + maxChannels + ", ioLoopFaults=" + ioLoopFaults + ", effectiveCapacity="
                + effectiveCapacity + ", listenerDrops=" + listenerDrops + ", listenerFailures=" + listenerFailures + ", allocationSeconds=" + allocationSeconds + ", ioLoopBusy="
                + ioLoopBusy + ", deniedByPolicy=" + deniedByPolicy + "]";
    }
}
