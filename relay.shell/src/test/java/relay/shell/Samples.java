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
        return RelayChannel.builder().id(id).owner(BareJid.parse(owner)).host("127.0.0.1").rtcp(true)
                .sideA(ChannelSide.of(portA, portA + 1, null, null)).sideB(ChannelSide.of(portA + 2, portA + 3, null, null))
                .created(NOW.minus(age)).lastActivity(NOW.minus(idle)).expire(60).state(ChannelState.WAITING)
                .aToB(Traffic.NONE).bToA(Traffic.NONE).build();
    }

    /** A channel with both sides latched and traffic both ways, some of it dropped. */
    static RelayChannel active() {
        return RelayChannel.builder().id("Zq3xYk7P-a_9LmN2bV8wQc").owner(BareJid.parse("alice@example.com"))
                .host("127.0.0.1").rtcp(true)
                .sideA(ChannelSide.of(25000, 25001, peer(40000), peer(40001)))
                .sideB(ChannelSide.of(25002, 25003, peer(41000), null))
                .created(NOW.minusSeconds(185)).lastActivity(NOW.minusSeconds(2)).expire(60).state(ChannelState.ACTIVE)
                .aToB(Traffic.of(12_345, 1_234_567, Map.of(DropReason.NOT_LATCHED, 3L, DropReason.FOREIGN_SOURCE, 1L)))
                .bToA(Traffic.of(12_001, 1_200_100, Map.of())).build();
    }

    static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
