package relay.api.cluster;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's view of the cluster. Answers come from the shared store; when it is unreachable,
 * {@link #available()} is false and the answers cover this node alone.
 */
@ProviderType
public interface Cluster {

    /** @return this node's id */
    String localId();

    /** @return true while the shared store answers */
    boolean available();

    /** @return the live nodes, this one included, ordered by id */
    List<ClusterNode> nodes();

    /**
     * @param channelId a channel id (any text)
     * @return the live node that holds that channel, or empty if no live node does
     */
    Optional<ClusterNode> ownerOf(String channelId);

    /**
     * @return where a new channel should be allocated by the placement rule in force: this
     *         node under {@code local}, the node with the most spare capacity under
     *         {@code least-loaded}
     */
    ClusterNode placement();
}
