package relay.http;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import relay.api.cluster.Cluster;
import relay.api.cluster.ClusterNode;

/**
 * One node's view of a cluster of {@link RestNode}s in one test: the nodes with their real REST
 * URLs and figures, and each channel's owner found in the real cores, as a shared store kept
 * current by heartbeats would answer. A node whose HTTP listener was stopped is still listed,
 * as it is until its heartbeats expire. A test can make the directory name another owner for an
 * id (a stale or inconsistent directory) and choose where placement sends new channels.
 */
final class TestCluster implements Cluster {

    private final String localId;
    private final List<RestNode> fleet;
    private final Map<String, ClusterNode> strangers = new ConcurrentHashMap<>();
    private final Map<String, String> ownerOverrides = new ConcurrentHashMap<>();
    private final AtomicInteger ownerQueries = new AtomicInteger();
    private volatile String placement;

    /**
     * @param localId the id of the node this view belongs to
     * @param fleet every node of the cluster, this one included (read at each call)
     */
    TestCluster(String localId, List<RestNode> fleet) {
        this.localId = localId;
        this.fleet = fleet;
    }

    /** From now on {@link #ownerOf} names {@code node} for {@code channelId}, whatever the cores hold. */
    void claim(String channelId, String node) {
        ownerOverrides.put(channelId, node);
    }

    /** From now on {@link #ownerOf} names {@code node}, a node that is no {@link RestNode}, for {@code channelId}. */
    void claim(String channelId, ClusterNode node) {
        strangers.put(node.id(), node);
        ownerOverrides.put(channelId, node.id());
    }

    /** @param node the id of the node that placement picks from now on, or null for this one */
    void placeOn(String node) {
        placement = node;
    }

    /** @return how often {@link #ownerOf} was asked */
    int ownerQueries() {
        return ownerQueries.get();
    }

    @Override
    public String localId() {
        return localId;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public List<ClusterNode> nodes() {
        return fleet.stream().map(n -> n.describe(localId)).sorted(Comparator.comparing(ClusterNode::id)).toList();
    }

    @Override
    public Optional<ClusterNode> ownerOf(String channelId) {
        ownerQueries.incrementAndGet();
        String claimed = ownerOverrides.get(channelId);
        if (claimed != null) {
            return node(claimed);
        }
        return fleet.stream().filter(n -> n.core().channel(channelId).isPresent()).findFirst().map(n -> n.describe(localId));
    }

    @Override
    public ClusterNode placement() {
        String target = placement;
        return node(target == null ? localId : target).orElseThrow();
    }

    private Optional<ClusterNode> node(String id) {
        if (strangers.containsKey(id)) {
            return Optional.of(strangers.get(id));
        }
        return fleet.stream().filter(n -> n.id().equals(id)).findFirst().map(n -> n.describe(localId));
    }
}
