package relay.shell;

import java.time.Duration;
import java.time.Instant;

import relay.api.RelayChannel;

/**
 * What {@code relay:destroy} returns: the channel's final snapshot and when it was destroyed.
 *
 * @param channel the final snapshot, counters included
 * @param destroyed when the shell destroyed it
 */
public record Destruction(RelayChannel channel, Instant destroyed) {

    /** @return how long the channel lived */
    public Duration lifetime() {
        return Duration.between(channel.created(), destroyed);
    }
}
