package relay.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Totals of the relay since it started, as an immutable snapshot.
 *
 * <p>Made by {@link #builder()}; implemented by this package only, so that a new figure is a
 * minor change of the API. Two snapshots are equal when every accessor returns an equal value.
 */
@ProviderType
public interface RelayStats {

    /** @return when the relay (its core component) started */
    Instant started();

    /** @return channels alive now */
    int liveChannels();

    /** @return channels allocated since start */
    long allocated();

    /** @return channels destroyed since start, by reason, in {@link DestroyReason} order */
    Map<DestroyReason, Long> destroyed();

    /** @return requests denied since start, by reason, in {@link RelayDeniedException.Reason} order */
    Map<RelayDeniedException.Reason, Long> denied();

    /**
     * @return requests that reached the relay malformed (a missing request) since start; a
     *         malformed JID never gets that far, {@link ChannelRequest#of(String)} refuses it in the caller
     */
    long invalid();

    /** @return all traffic since start, both directions of every channel, destroyed ones included */
    Traffic forwarded();

    /** @return ports free in the pool now */
    int portsFree();

    /** @return ports the pool manages */
    int portsTotal();

    /** @return whether the relay refuses new channels */
    boolean draining();

    /** @return the configured global capacity */
    int maxChannels();

    /**
     * @return I/O loops that died since start (each was replaced, and its channels destroyed with
     *         {@link DestroyReason#FAULT})
     */
    long ioLoopFaults();

    /**
     * @return how many channels the relay can hold now: {@code max.channels}, or fewer when the
     *         port range holds fewer (a channel takes 4 ports with RTCP, 2 without)
     */
    int effectiveCapacity();

    /** @return channel events a listener could not take because its queue was full, since start */
    long listenerDrops();

    /** @return channel events whose listener threw, since start */
    long listenerFailures();

    /** @return requests denied by a policy since start, by the policy's name */
    Map<String, Long> deniedByPolicy();

    /** @return how long allocations took (from the request to the answer, policies included), since start */
    Histogram allocationSeconds();

    /** @return per I/O loop, the share of the last second it spent working rather than waiting (0..1) */
    java.util.List<Double> ioLoopBusy();

    /** @return time since {@link #started()} */
    default Duration uptime() {
        return Duration.between(started(), Instant.now());
    }

    /** @return a builder with nothing set */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Makes {@link RelayStats} snapshots. {@code started} must be set; every count defaults to
     * 0, the maps to empty, {@code forwarded} to {@link Traffic#NONE} and {@code draining} to
     * false. A setter given {@code null} throws {@link NullPointerException}. Not thread safe;
     * {@link #build()} may be called more than once.
     */
    final class Builder {

        private Instant started;
        private int liveChannels;
        private long allocated;
        private Map<DestroyReason, Long> destroyed = Map.of();
        private Map<RelayDeniedException.Reason, Long> denied = Map.of();
        private long invalid;
        private Traffic forwarded = Traffic.NONE;
        private int portsFree;
        private int portsTotal;
        private boolean draining;
        private int maxChannels;
        private long ioLoopFaults;
        private int effectiveCapacity;
        private long listenerDrops;
        private long listenerFailures;
        private Histogram allocationSeconds = Histogram.EMPTY;
        private Map<String, Long> deniedByPolicy = Map.of();
        private java.util.List<Double> ioLoopBusy = java.util.List.of();

        Builder() {
        }

        /**
         * @param started see {@link RelayStats#started()}
         * @return this builder
         */
        public Builder started(Instant started) {
            this.started = Objects.requireNonNull(started, "started");
            return this;
        }

        /**
         * @param liveChannels see {@link RelayStats#liveChannels()}
         * @return this builder
         */
        public Builder liveChannels(int liveChannels) {
            this.liveChannels = liveChannels;
            return this;
        }

        /**
         * @param allocated see {@link RelayStats#allocated()}
         * @return this builder
         */
        public Builder allocated(long allocated) {
            this.allocated = allocated;
            return this;
        }

        /**
         * @param destroyed see {@link RelayStats#destroyed()}; copied
         * @return this builder
         */
        public Builder destroyed(Map<DestroyReason, Long> destroyed) {
            this.destroyed = RelayStatsValue.counts(DestroyReason.class, destroyed, "destroyed");
            return this;
        }

        /**
         * @param denied see {@link RelayStats#denied()}; copied
         * @return this builder
         */
        public Builder denied(Map<RelayDeniedException.Reason, Long> denied) {
            this.denied = RelayStatsValue.counts(RelayDeniedException.Reason.class, denied, "denied");
            return this;
        }

        /**
         * @param invalid see {@link RelayStats#invalid()}
         * @return this builder
         */
        public Builder invalid(long invalid) {
            this.invalid = invalid;
            return this;
        }

        /**
         * @param forwarded see {@link RelayStats#forwarded()}
         * @return this builder
         */
        public Builder forwarded(Traffic forwarded) {
            this.forwarded = Objects.requireNonNull(forwarded, "forwarded");
            return this;
        }

        /**
         * @param portsFree see {@link RelayStats#portsFree()}
         * @return this builder
         */
        public Builder portsFree(int portsFree) {
            this.portsFree = portsFree;
            return this;
        }

        /**
         * @param portsTotal see {@link RelayStats#portsTotal()}
         * @return this builder
         */
        public Builder portsTotal(int portsTotal) {
            this.portsTotal = portsTotal;
            return this;
        }

        /**
         * @param draining see {@link RelayStats#draining()}
         * @return this builder
         */
        public Builder draining(boolean draining) {
            this.draining = draining;
            return this;
        }

        /**
         * @param maxChannels see {@link RelayStats#maxChannels()}
         * @return this builder
         */
        public Builder maxChannels(int maxChannels) {
            this.maxChannels = maxChannels;
            return this;
        }

        /**
         * @param ioLoopFaults see {@link RelayStats#ioLoopFaults()}
         * @return this builder
         */
        public Builder ioLoopFaults(long ioLoopFaults) {
            this.ioLoopFaults = ioLoopFaults;
            return this;
        }

        /**
         * @param effectiveCapacity see {@link RelayStats#effectiveCapacity()}
         * @return this builder
         */
        public Builder effectiveCapacity(int effectiveCapacity) {
            this.effectiveCapacity = effectiveCapacity;
            return this;
        }

        /**
         * @param listenerDrops see {@link RelayStats#listenerDrops()}
         * @return this builder
         */
        public Builder listenerDrops(long listenerDrops) {
            this.listenerDrops = listenerDrops;
            return this;
        }

        /**
         * @param listenerFailures see {@link RelayStats#listenerFailures()}
         * @return this builder
         */
        public Builder listenerFailures(long listenerFailures) {
            this.listenerFailures = listenerFailures;
            return this;
        }

        /**
         * @param deniedByPolicy see {@link RelayStats#deniedByPolicy()}
         * @return this builder
         */
        public Builder deniedByPolicy(Map<String, Long> deniedByPolicy) {
            this.deniedByPolicy = Map.copyOf(deniedByPolicy);
            return this;
        }

        /**
         * @param allocationSeconds see {@link RelayStats#allocationSeconds()}
         * @return this builder
         */
        public Builder allocationSeconds(Histogram allocationSeconds) {
            this.allocationSeconds = Objects.requireNonNull(allocationSeconds, "allocationSeconds");
            return this;
        }

        /**
         * @param ioLoopBusy see {@link RelayStats#ioLoopBusy()}
         * @return this builder
         */
        public Builder ioLoopBusy(java.util.List<Double> ioLoopBusy) {
            this.ioLoopBusy = java.util.List.copyOf(ioLoopBusy);
            return this;
        }

        /**
         * @return the snapshot
         * @throws NullPointerException if {@code started} was not set
         */
        public RelayStats build() {
            return new RelayStatsValue(Objects.requireNonNull(started, "started"), liveChannels, allocated, destroyed,
                    denied, invalid, forwarded, portsFree, portsTotal, draining, maxChannels, ioLoopFaults, effectiveCapacity,
                    listenerDrops, listenerFailures, allocationSeconds, ioLoopBusy, deniedByPolicy);
        }
    }
}
