package relay.shell;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import relay.api.BareJid;
import relay.api.ChannelSide;
import relay.api.ChannelState;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.api.Traffic;

/** Fixed values for the formatting tests: a clock reading and channels at known ages. */
final class Samples {

    static final Instant NOW = Instant.parse("2025-11-22T10:00:00Z");

    private Samples() {
    }

    /** A channel that was created {@code age} ago, silent for {@code idle}, with nobody latched. */
    static RelayChannel waiting(String id, String owner, int portA, Duration age, Duration idle) {
        return new RelayChannel(id, BareJid.parse(owner), "127.0.0.1", true,
                new ChannelSide(portA, portA + 1, null, null), new ChannelSide(portA + 2, portA + 3, null, null),
                NOW.minus(age), NOW.minus(idle), 60, ChannelState.WAITING, Traffic.NONE, Traffic.NONE);
    }

    /** A channel with both sides latched and traffic both ways, some of it dropped. */
    static RelayChannel active() {
        return new RelayChannel("Zq3xYk7P-a_9LmN2bV8wQc", BareJid.parse("alice@example.com"), "127.0.0.1", true,
                new ChannelSide(25000, 25001, peer(40000), peer(40001)),
                new ChannelSide(25002, 25003, peer(41000), null),
                NOW.minusSeconds(185), NOW.minusSeconds(2), 60, ChannelState.ACTIVE,
                new Traffic(12_345, 1_234_567, Map.of(DropReason.NOT_LATCHED, 3L, DropReason.FOREIGN_SOURCE, 1L)),
                new Traffic(12_001, 1_200_100, Map.of()));
    }

    static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
