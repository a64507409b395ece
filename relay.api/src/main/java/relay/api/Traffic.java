package relay.api;

import java.util.EnumMap;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counters of one direction of a channel (or of the whole relay): datagrams and bytes
 * forwarded, and datagrams received but dropped, by reason. An immutable snapshot.
 *
 * <p>Made by {@link #of}, {@link #NONE} and {@link #plus}; implemented by this package only, so
 * that a new counter is a minor change of the API. Two snapshots are equal when every accessor
 * returns an equal value.
 */
@ProviderType
public interface Traffic {

    /** No traffic at all. */
    Traffic NONE = of(0, 0, Map.of());

    /** @return datagrams forwarded */
    long packets();

    /** @return payload bytes forwarded */
    long bytes();

    /**
     * @return datagrams received and not forwarded, by reason, in {@link DropReason} order;
     *         reasons never seen are absent
     */
    Map<DropReason, Long> dropped();

    /** @return the sum of all drops */
    default long droppedTotal() {
        long sum = 0;
        for (long v : dropped().values()) {
            sum += v;
        }
        return sum;
    }

    /**
     * @param reason a drop reason
     * @return how many datagrams were dropped for it
     */
    default long dropped(DropReason reason) {
        return dropped().getOrDefault(reason, 0L);
    }

    /**
     * @param other counters to add
     * @return the sum of both
     */
    default Traffic plus(Traffic other) {
        EnumMap<DropReason, Long> sum = new EnumMap<>(DropReason.class);
        sum.putAll(dropped());
        other.dropped().forEach((k, v) -> sum.merge(k, v, Long::sum));
        return of(packets() + other.packets(), bytes() + other.bytes(), sum);
    }

    /**
     * @param packets datagrams forwarded
     * @param bytes payload bytes forwarded
     * @param dropped datagrams dropped, by reason; copied, and zero or {@code null} counts left out
     * @return the counters
     */
    static Traffic of(long packets, long bytes, Map<DropReason, Long> dropped) {
        return new TrafficValue(packets, bytes, TrafficValue.counts(dropped));
    }
}
