package relay.api.cluster;

import java.net.URI;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One live node as its last heartbeat described it. Made by {@link #builder()}; implemented by
 * this package only, so that a new accessor is a minor version.
 */
@ProviderType
public interface ClusterNode {

    /** @return the node's id, unique in the cluster */
    String id();

    /** @return the address its channels hand out to peers */
    String publicAddress();

    /** @return the base URL of its REST API (for example {@code http://10.0.0.5:8480}), or {@code null} */
    URI restUrl();

    /** @return its live channels */
    int liveChannels();

    /** @return its free ports */
    int freePorts();

    /** @return its effective capacity in channels */
    int capacity();

    /** @return the share of time its busiest I/O loop works, 0 to 1 */
    double busyRatio();

    /** @return when it last published its record */
    Instant heartbeat();

    /** @return true for the node that answers */
    boolean local();

    /** @return how many more channels it can take: its capacity less its live channels, and its free ports (two per side) */
    default int spare() {
        return Math.max(0, Math.min(capacity() - liveChannels(), freePorts() / 2));
    }

    /** @return a builder; {@code id}, {@code publicAddress} and {@code heartbeat} are mandatory */
    static Builder builder() {
        return new Builder();
    }

    /** Makes a {@link ClusterNode}. */
    final class Builder {
        private String id;
        private String publicAddress;
        private URI restUrl;
        private int liveChannels;
        private int freePorts;
        private int capacity;
        private double busyRatio;
        private Instant heartbeat;
        private boolean local;

        Builder() {
        }

        /** @param v the node id @return this */
        public Builder id(String v) {
            id = v;
            return this;
        }

        /** @param v the public address @return this */
        public Builder publicAddress(String v) {
            publicAddress = v;
            return this;
        }

        /** @param v the REST base URL, or null @return this */
        public Builder restUrl(URI v) {
            restUrl = v;
            return this;
        }

        /** @param v live channels @return this */
        public Builder liveChannels(int v) {
            liveChannels = v;
            return this;
        }

        /** @param v free ports @return this */
        public Builder freePorts(int v) {
            freePorts = v;
            return this;
        }

        /** @param v effective capacity @return this */
        public Builder capacity(int v) {
            capacity = v;
            return this;
        }

        /** @param v busy ratio of the busiest loop @return this */
        public Builder busyRatio(double v) {
            busyRatio = v;
            return this;
        }

        /** @param v the last heartbeat @return this */
        public Builder heartbeat(Instant v) {
            heartbeat = v;
            return this;
        }

        /** @param v true for the node that answers @return this */
        public Builder local(boolean v) {
            local = v;
            return this;
        }

        /**
         * @return the node
         * @throws NullPointerException if id, publicAddress or heartbeat is missing
         */
        public ClusterNode build() {
            return new ClusterNodeValue(java.util.Objects.requireNonNull(id, "id"),
                    java.util.Objects.requireNonNull(publicAddress, "publicAddress"), restUrl, liveChannels, freePorts,
                    capacity, busyRatio, java.util.Objects.requireNonNull(heartbeat, "heartbeat"), local);
        }
    }
}
