package relay.shell;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import relay.api.RelayStats;
import relay.api.cluster.Cluster;
import relay.api.cluster.ClusterNode;
import relay.core.RelayCore;

/**
 * A cluster as one node's shell sees it: this node described from its real relay core at each
 * call, the others as their last heartbeats described them. Nothing is placed or looked up
 * elsewhere: the shell only lists nodes.
 */
final class ShellCluster implements Cluster {

    private final String localId;
    private final Supplier<ClusterNode> self;
    private final List<ClusterNode> others = new ArrayList<>();
    private volatile boolean available = true;
    private volatile RuntimeException failure;

    /**
     * @param localId this node's id
     * @param core this node's relay core
     * @param restUrl this node's REST URL
     * @param heartbeat when this node last published its figures
     */
    ShellCluster(String localId, RelayCore core, URI restUrl, Instant heartbeat) {
        this.localId = localId;
        this.self = () -> {
            RelayStats s = core.stats();
            double busy = s.ioLoopBusy().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            return ClusterNode.builder().id(localId)
                    .publicAddress("127.0.0.1").restUrl(restUrl)
                    .liveChannels(s.liveChannels()).freePorts(s.portsFree()).capacity(s.effectiveCapacity())
                    .busyRatio(busy).heartbeat(heartbeat).local(true).build();
        };
    }

    ShellCluster with(ClusterNode other) {
        others.add(other);
        return this;
    }

    /** @param answers whether the shared store answers from now on */
    void available(boolean answers) {
        available = answers;
    }

    /** @param e what every call throws from now on (a broken cluster bundle) */
    void failWith(RuntimeException e) {
        failure = e;
    }

    @Override
    public String localId() {
        return localId;
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public List<ClusterNode> nodes() {
        if (failure != null) {
            throw failure;
        }
        List<ClusterNode> all = new ArrayList<>(available ? others : List.of());
        all.add(self.get());
        all.sort(Comparator.comparing(ClusterNode::id));
        return all;
    }

    @Override
    public Optional<ClusterNode> ownerOf(String channelId) {
        return Optional.empty();
    }

    @Override
    public ClusterNode placement() {
        return self.get();
    }
}
