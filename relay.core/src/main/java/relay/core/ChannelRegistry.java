package relay.core;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import relay.api.BareJid;

/** The live channels, by id and counted per owner. Thread safe. */
final class ChannelRegistry {

    private static final Comparator<LiveChannel> NEWEST_FIRST =
            Comparator.comparingLong((LiveChannel c) -> c.createdNanos).reversed();

    private final Map<String, LiveChannel> byId = new ConcurrentHashMap<>();
    private final Map<BareJid, AtomicInteger> perOwner = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    void add(LiveChannel ch) {
        byId.put(ch.id, ch);
        perOwner.computeIfAbsent(ch.owner, k -> new AtomicInteger()).incrementAndGet();
    }

    /** @return true if the channel was registered and is now removed */
    boolean remove(LiveChannel ch) {
        if (!byId.remove(ch.id, ch)) {
            return false;
        }
        perOwner.computeIfPresent(ch.owner, (k, n) -> n.decrementAndGet() == 0 ? null : n);
        return true;
    }

    LiveChannel get(String id) {
        return id == null ? null : byId.get(id);
    }

    int count(BareJid owner) {
        AtomicInteger n = perOwner.get(owner);
        return n == null ? 0 : n.get();
    }

    /** Reserves room for one more channel unless {@code max} are live or reserved. */
    boolean reserve(int max) {
        while (true) {
            int n = size.get();
            if (n >= max) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reservation: the channel was not made, or is gone. */
    void unreserve() {
        size.decrementAndGet();
    }

    int size() {
        return byId.size();
    }

    Stream<LiveChannel> stream() {
        return byId.values().stream();
    }

    List<LiveChannel> newestFirst(BareJid owner) {
        return byId.values().stream().filter(c -> owner == null || c.owner.equals(owner)).sorted(NEWEST_FIRST).toList();
    }
}
