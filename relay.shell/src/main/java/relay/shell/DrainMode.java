package relay.shell;

/**
 * What {@code relay:drain} returns.
 *
 * @param draining whether the relay refuses new channels
 * @param liveChannels how many channels were running when the command ran
 */
public record DrainMode(boolean draining, int liveChannels) {
}
