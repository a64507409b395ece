package relay.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import relay.api.BareJid;

/**
 * The live channels, by id, and counted per owner (a channel being destroyed still counts for
 * its owner until its ports are back, so a quota is never exceeded, not even for a moment). Written by the conductor alone; read by
 * callers (lookups, listings, the policies' channel counts) without a lock.
 */
final class ChannelRegistry {

    private static final Comparator<LiveChannel> NEWEST_FIRST =
            Comparator.comparingLong((LiveChannel c) -> c.createdNanos).reversed();

    private final Map<String, LiveChannel> byId = new ConcurrentHashMap<>();
    private final Map<BareJid, Integer> perOwner = new ConcurrentHashMap<>();

    /** Conductor only. */
    void add(LiveChannel ch) {
        byId.put(ch.id, ch);
        perOwner.merge(ch.owner, 1, Integer::sum);
    }

    /**
     * Conductor only: the channel's destroy starts; it is no longer found, but still counts for
     * its owner until {@link #released}.
     *
     * @return true if the channel was registered and is now removed
     */
    boolean remove(LiveChannel ch) {
        return byId.remove(ch.id, ch);
    }

    /** Conductor only: the destroy is over (sockets closed, ports back); the owner's count drops. */
    void released(LiveChannel ch) {
        perOwner.computeIfPresent(ch.owner, (k, n) -> n == 1 ? null : n - 1);
    }

    LiveChannel get(String id) {
        return id == null ? null : byId.get(id);
    }

    int count(BareJid owner) {
        return perOwner.getOrDefault(owner, 0);
    }

    int size() {
        return byId.size();
    }

    Collection<LiveChannel> all() {
        return byId.values();
    }

    List<LiveChannel> newestFirst(BareJid owner) {
        return byId.values().stream().filter(c -> owner == null || c.owner.equals(owner)).sorted(NEWEST_FIRST).toList();
    }
}
