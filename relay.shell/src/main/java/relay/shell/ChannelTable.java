package relay.shell;

import java.time.Instant;

import relay.api.ChannelSide;
import relay.api.RelayChannel;

/**
 * {@code relay:channels} as a person reads it: one aligned line per channel (ports, latched
 * peers, age, idle time, traffic each way), then a count.
 */
final class ChannelTable {

    private ChannelTable() {
    }

    static String render(ChannelList channels, Instant now) {
        String whose = channels.owner() == null ? "" : " of " + channels.owner();
        if (channels.isEmpty()) {
            return "No channels" + whose + ".\n";
        }
        Table table = Table.of("ID", "OWNER", "STATE", "RELAY A<->B", "PEER A", "PEER B", ">AGE", ">IDLE",
                ">PKTS A->B", ">BYTES A->B", ">PKTS B->A", ">BYTES B->A", ">DROPPED");
        for (RelayChannel c : channels) {
            table.row(c.id(), c.owner(), Units.reason(c.state()), ports(c), peer(c.sideA()), peer(c.sideB()),
                    Units.since(c.created(), now), Units.since(c.lastActivity(), now),
                    Units.count(c.aToB().packets()), Units.bytes(c.aToB().bytes()),
                    Units.count(c.bToA().packets()), Units.bytes(c.bToA().bytes()),
                    Units.count(c.aToB().droppedTotal() + c.bToA().droppedTotal()));
        }
        return table + Units.count(channels.size(), "channel", "channels") + whose + "\n";
    }

    /** One line for a channel inside other output: {@code id  owner  state  host:portA<->portB}. */
    static String line(RelayChannel c) {
        return c.id() + "  " + c.owner() + "  " + Units.reason(c.state()) + "  " + ports(c);
    }

    /** {@code 127.0.0.1:25000<->25002}: the host once, since both sides share it. */
    static String ports(RelayChannel c) {
        return Units.hostPort(c.host(), c.portA()) + "<->" + c.portB();
    }

    /** The side's latched peer: the RTP one, or the RTCP one if only that has latched. */
    static String peer(ChannelSide side) {
        return Units.address(side.rtpPeer() != null ? side.rtpPeer() : side.rtcpPeer());
    }
}
