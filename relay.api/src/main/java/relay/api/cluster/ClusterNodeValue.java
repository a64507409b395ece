package relay.api.cluster;

import java.net.URI;
import java.time.Instant;

/** The one implementation of {@link ClusterNode}. */
record ClusterNodeValue(String id, String publicAddress, URI restUrl, int liveChannels, int freePorts, int capacity,
        double busyRatio, Instant heartbeat, boolean local) implements ClusterNode {
}
