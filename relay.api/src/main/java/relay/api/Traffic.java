package relay.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one direction of a channel (or of the whole relay): datagrams and bytes
 * forwarded, and datagrams received but dropped, by reason. An immutable snapshot.
 *
 * @param packets datagrams forwarded
 * @param bytes payload bytes forwarded
 * @param dropped datagrams received and not forwarded, by reason; reasons never seen are absent
 */
public record Traffic(long packets, long bytes, Map<DropReason, Long> dropped) {

    /** No traffic at all. */
    public static final Traffic NONE = new Traffic(0, 0, Map.of());

    /** Copies {@code dropped} so that the snapshot stays immutable. */
    public Traffic {
        EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        dropped.forEach((k, v) -> {
            if (v != null && v != 0) {
                copy.put(k, v);
            }
        });
        dropped = Collections.unmodifiableMap(copy);
    }

    /** @return the sum of all drops */
    public long droppedTotal() {
        long sum = 0;
        for (long v : dropped.values()) {
            sum += v;
        }
        return sum;
    }

    /**
     * @param reason a drop reason
     * @return how many datagrams were dropped for it
     */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /**
     * @param other counters to add
     * @return the sum of both
     */
    public Traffic plus(Traffic other) {
        EnumMap<DropReason, Long> sum = new EnumMap<>(DropReason.class);
        sum.putAll(dropped);
        other.dropped.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return new Traffic(packets + other.packets, bytes + other.bytes, sum);
    }
}
