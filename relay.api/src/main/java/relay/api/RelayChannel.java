package relay.api;

import java.time.Instant;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An immutable snapshot of a channel: what it was when {@link RelayService} made the copy.
 * Ask the service again for fresh counters.
 *
 * <p>Made by {@link #builder()}; implemented by this package only, so that a new accessor is
 * a minor change of the API. Two snapshots are equal when every accessor returns an equal value.
 */
@ProviderType
public interface RelayChannel {

    /** @return random, unguessable, URL-safe identifier */
    String id();

    /** @return the user the channel was allocated for */
    BareJid owner();

    /** @return the address both parties send to */
    String host();

    /** @return whether each side also has an RTCP port (RTP + 1) */
    boolean rtcp();

    /** @return the requester's side (Jingle {@code localport} is {@code sideA().rtpPort()}) */
    ChannelSide sideA();

    /** @return the other party's side (Jingle {@code remoteport} is {@code sideB().rtpPort()}) */
    ChannelSide sideB();

    /** @return when the channel was allocated */
    Instant created();

    /** @return when a datagram was last received on any of its ports ({@link #created()} if never) */
    Instant lastActivity();

    /** @return the idle timeout in seconds that applies to it */
    long expire();

    /** @return its state */
    ChannelState state();

    /** @return datagrams received on side A: forwarded to B, or dropped */
    Traffic aToB();

    /** @return datagrams received on side B: forwarded to A, or dropped */
    Traffic bToA();

    /** @return the cap in force on each side, in kbit/s; 0 for none */
    int maxKbps();

    /** @return the cap in force on each side, in datagrams per second; 0 for none */
    int maxPps();

    /** @return side A's RTP port, the requester's port (Jingle {@code localport}) */
    default int portA() {
        return sideA().rtpPort();
    }

    /** @return side B's RTP port, the other party's port (Jingle {@code remoteport}) */
    default int portB() {
        return sideB().rtpPort();
    }

    /**
     * @param side A or B
     * @return that side
     */
    default ChannelSide side(Side side) {
        return side == Side.A ? sideA() : sideB();
    }

    /** @return a builder with nothing set */
    static Builder builder() {
        return new Builder();
    }

    /**
     * @param channel a snapshot to start from
     * @return a builder holding every value of {@code channel}, to change some of them
     */
    static Builder builder(RelayChannel channel) {
        return new Builder().id(channel.id()).owner(channel.owner()).host(channel.host()).rtcp(channel.rtcp())
                .sideA(channel.sideA()).sideB(channel.sideB()).created(channel.created())
                .lastActivity(channel.lastActivity()).expire(channel.expire()).state(channel.state())
                .aToB(channel.aToB()).bToA(channel.bToA()).caps(channel.maxKbps(), channel.maxPps());
    }

    /**
     * Makes {@link RelayChannel} snapshots. {@code id}, {@code owner}, {@code host}, {@code sideA},
     * {@code sideB}, {@code created} and {@code state} must be set; {@code lastActivity} defaults
     * to {@code created}, the traffic of each direction to {@link Traffic#NONE}, {@code rtcp} to
     * false and {@code expire} to 0. A setter given {@code null} throws {@link NullPointerException}.
     * Not thread safe; {@link #build()} may be called more than once.
     */
    final class Builder {

        private String id;
        private BareJid owner;
        private String host;
        private boolean rtcp;
        private ChannelSide sideA;
        private ChannelSide sideB;
        private Instant created;
        private Instant lastActivity;
        private long expire;
        private ChannelState state;
        private Traffic aToB = Traffic.NONE;
        private Traffic bToA = Traffic.NONE;
        private int maxKbps;
        private int maxPps;

        Builder() {
        }

        /**
         * @param id see {@link RelayChannel#id()}
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @param owner see {@link RelayChannel#owner()}
         * @return this builder
         */
        public Builder owner(BareJid owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /**
         * @param host see {@link RelayChannel#host()}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param rtcp see {@link RelayChannel#rtcp()}
         * @return this builder
         */
        public Builder rtcp(boolean rtcp) {
            this.rtcp = rtcp;
            return this;
        }

        /**
         * @param sideA see {@link RelayChannel#sideA()}
         * @return this builder
         */
        public Builder sideA(ChannelSide sideA) {
            this.sideA = Objects.requireNonNull(sideA, "sideA");
            return this;
        }

        /**
         * @param sideB see {@link RelayChannel#sideB()}
         * @return this builder
         */
        public Builder sideB(ChannelSide sideB) {
            this.sideB = Objects.requireNonNull(sideB, "sideB");
            return this;
        }

        /**
         * @param created see {@link RelayChannel#created()}
         * @return this builder
         */
        public Builder created(Instant created) {
            this.created = Objects.requireNonNull(created, "created");
            return this;
        }

        /**
         * @param lastActivity see {@link RelayChannel#lastActivity()}
         * @return this builder
         */
        public Builder lastActivity(Instant lastActivity) {
            this.lastActivity = Objects.requireNonNull(lastActivity, "lastActivity");
            return this;
        }

        /**
         * @param expire see {@link RelayChannel#expire()}
         * @return this builder
         */
        public Builder expire(long expire) {
            this.expire = expire;
            return this;
        }

        /**
         * @param state see {@link RelayChannel#state()}
         * @return this builder
         */
        public Builder state(ChannelState state) {
            this.state = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * @param aToB see {@link RelayChannel#aToB()}
         * @return this builder
         */
        public Builder aToB(Traffic aToB) {
            this.aToB = Objects.requireNonNull(aToB, "aToB");
            return this;
        }

        /**
         * @param bToA see {@link RelayChannel#bToA()}
         * @return this builder
         */
        public Builder bToA(Traffic bToA) {
            this.bToA = Objects.requireNonNull(bToA, "bToA");
            return this;
        }

        /**
         * @param maxKbps see {@link RelayChannel#maxKbps()}
         * @param maxPps see {@link RelayChannel#maxPps()}
         * @return this builder
         */
        public Builder caps(int maxKbps, int maxPps) {
            this.maxKbps = maxKbps;
            this.maxPps = maxPps;
            return this;
        }

        /**
         * @return the snapshot
         * @throws NullPointerException naming the first mandatory value that was not set
         */
        public RelayChannel build() {
            return new RelayChannelValue(Objects.requireNonNull(id, "id"), Objects.requireNonNull(owner, "owner"),
                    Objects.requireNonNull(host, "host"), rtcp, Objects.requireNonNull(sideA, "sideA"),
                    Objects.requireNonNull(sideB, "sideB"), Objects.requireNonNull(created, "created"),
                    lastActivity == null ? created : lastActivity, expire, Objects.requireNonNull(state, "state"),
                    aToB, bToA, maxKbps, maxPps);
        }
    }
}
