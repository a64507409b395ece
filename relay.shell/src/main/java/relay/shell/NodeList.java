package relay.shell;

import java.util.AbstractList;
import java.util.List;

import relay.api.cluster.ClusterNode;

/**
 * What {@code relay:nodes} returns: the live nodes of the cluster as this node sees them,
 * ordered by id, or none for a node that runs alone. A list, so that scripts can iterate it.
 */
public final class NodeList extends AbstractList<ClusterNode> {

    private static final NodeList ALONE = new NodeList(null, false, List.of());

    private final String local;
    private final boolean available;
    private final List<ClusterNode> nodes;

    /**
     * @param local this node's id, or {@code null} for a node that runs alone
     * @param available whether the cluster's shared store answers
     * @param nodes the live nodes
     */
    public NodeList(String local, boolean available, List<ClusterNode> nodes) {
        this.local = local;
        this.available = available;
        this.nodes = List.copyOf(nodes);
    }

    /** @return the list of a node without a cluster service */
    static NodeList ofNodeAlone() {
        return ALONE;
    }

    /** @return true if this node belongs to no cluster (no cluster service is registered) */
    public boolean alone() {
        return local == null;
    }

    /** @return this node's id, or {@code null} if it runs alone */
    public String local() {
        return local;
    }

    /** @return whether the cluster's shared store answers */
    public boolean available() {
        return available;
    }

    @Override
    public ClusterNode get(int index) {
        return nodes.get(index);
    }

    @Override
    public int size() {
        return nodes.size();
    }
}
