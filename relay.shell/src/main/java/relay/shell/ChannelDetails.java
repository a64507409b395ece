package relay.shell;

import java.time.Instant;

import relay.api.ChannelSide;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.api.Traffic;

/** {@code relay:channel}: everything about one channel, drops by reason included. */
final class ChannelDetails {

    private ChannelDetails() {
    }

    static String render(RelayChannel c, Instant now) {
        Table about = Table.keyValue()
                .row("id", c.id())
                .row("owner", c.owner())
                .row("state", Units.reason(c.state()))
                .row("host", c.host());
        for (Side s : Side.values()) {
            String host = c.side(s).host();
            if (host != null && !host.equals(c.host())) { // a bridge: this side is on another IP version
                about.row("host " + s, host);
            }
        }
        about.row("rtcp", Units.yesNo(c.rtcp()))
                .row("max kbps", c.maxKbps() == 0 ? "none" : Units.count(c.maxKbps()) + " per side")
                .row("max pps", c.maxPps() == 0 ? "none" : Units.count(c.maxPps()) + " per side");
        for (Side s : Side.values()) {
            if (c.side(s).expectedPeer() != null) {
                about.row("expect " + s, c.side(s).expectedPeer());
            }
        }
        about.row("created", Units.instant(c.created()) + ", " + Units.since(c.created(), now) + " ago")
                .row("idle", Units.since(c.lastActivity(), now) + " (destroyed after " + c.expire() + "s idle)");

        Table sides = Table.of("SIDE", ">RTP", ">RTCP", "RTP PEER", "RTCP PEER");
        for (Side s : Side.values()) {
            ChannelSide side = c.side(s);
            sides.row(s, side.rtpPort(), side.rtcpPort() == 0 ? "-" : side.rtcpPort(),
                    Units.address(side.rtpPeer()), Units.address(side.rtcpPeer()));
        }

        Table traffic = Table.of("DIRECTION", ">PACKETS", ">BYTES", ">DROPPED", "DROPPED BY REASON");
        direction(traffic, "A->B", c.aToB());
        direction(traffic, "B->A", c.bToA());

        return about + "\n" + sides + "\n" + traffic;
    }

    private static void direction(Table table, String name, Traffic t) {
        table.row(name, Units.count(t.packets()), Units.bytes(t.bytes()), Units.count(t.droppedTotal()),
                Units.nonZeroByReason(t.dropped(), DropReason.class));
    }
}
