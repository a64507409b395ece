package relay.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Totals of the relay since it started, as an immutable snapshot.
 *
 * @param started when the relay (its core component) started
 * @param liveChannels channels alive now
 * @param allocated channels allocated since start
 * @param destroyed channels destroyed since start, by reason
 * @param denied requests denied since start, by reason
 * @param invalid requests that reached the relay malformed (a missing request) since start; a malformed
 *        JID never gets that far, {@link ChannelRequest#of} refuses it in the caller
 * @param forwarded all traffic since start, both directions of every channel, destroyed ones included
 * @param portsFree ports free in the pool now
 * @param portsTotal ports the pool manages
 * @param draining whether the relay refuses new channels
 * @param maxChannels the configured global capacity
 */
public record RelayStats(Instant started, int liveChannels, long allocated, Map<DestroyReason, Long> destroyed,
        Map<RelayDeniedException.Reason, Long> denied, long invalid, Traffic forwarded, int portsFree,
        int portsTotal, boolean draining, int maxChannels) {

    /** Copies the maps so the snapshot stays immutable. */
    public RelayStats {
        destroyed = Map.copyOf(destroyed);
        denied = Map.copyOf(denied);
    }

    /** @return time since {@link #started()} */
    public Duration uptime() {
        return Duration.between(started, Instant.now());
    }
}
