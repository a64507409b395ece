package relay.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The one implementation of {@link Traffic}. */
record TrafficValue(long packets, long bytes, Map<DropReason, Long> dropped) implements Traffic {

    /** @return an unmodifiable copy of {@code dropped} without zero counts */
    static Map<DropReason, Long> counts(Map<DropReason, Long> dropped) {
        EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        Objects.requireNonNull(dropped, "dropped").forEach((k, v) -> {
            if (v != null && v != 0) {
                copy.put(k, v);
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return "Traffic[packets=" + packets + ", bytes=" + bytes + ", dropped=" + dropped + "]";
    }
}
