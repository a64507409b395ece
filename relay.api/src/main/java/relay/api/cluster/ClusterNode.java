package relay.api.cluster;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One live node as its last heartbeat described it.
 *
 * @param id the node's id, unique in the cluster
 * @param publicAddress the address its channels hand out to peers
 * @param restUrl the base URL of its REST API (for example {@code http://10.0.0.5:8480}), or
 *        {@code null} if it serves none
 * @param liveChannels its live channels
 * @param freePorts its free ports
 * @param capacity its effective capacity in channels
 * @param busyRatio the share of time its busiest I/O loop works, 0 to 1
 * @param heartbeat when it last published this
 * @param local true for the node that answers
 */
public record ClusterNode(String id, String publicAddress, URI restUrl, int liveChannels, int freePorts,
        int capacity, double busyRatio, Instant heartbeat, boolean local) {

    /** Checks the values. */
    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicAddress, "publicAddress");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }

    /** @return how many more channels it can take: capacity, free ports (two per side) and live channels considered */
    public int spare() {
        return Math.max(0, Math.min(capacity - liveChannels, freePorts / 2));
    }
}
