package relay.shell;

import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.Side;

/**
 * {@code relay:allocate}: the new channel as a Jingle Nodes (XEP-0278) client needs it:
 * host, localport (for the requester), remoteport (for the other party), expire; and the peers
 * the sides expect, if the request named any.
 */
final class AllocationReport {

    private AllocationReport() {
    }

    static String render(Allocation a) {
        RelayChannel c = a.channel();
        String rtcp = c.rtcp() ? c.sideA().rtcpPort() + " and " + c.sideB().rtcpPort() : "none (rtcp-mux)";
        Table table = Table.keyValue();
        if (a.hostA().equals(a.hostB())) {
            table.row("host", a.host());
        } else { // a bridge: each party has the host of its own IP version
            table.row("host A", a.hostA() + "  (the requester's)").row("host B", a.hostB() + "  (the other party's)");
        }
        table.row("localport", a.localport() + "  (the requester sends here: side A)")
                .row("remoteport", a.remoteport() + "  (the other party sends here: side B)")
                .row("rtcp ports", rtcp);
        for (Side s : Side.values()) {
            ExpectedPeer peer = c.side(s).expectedPeer();
            if (peer != null) {
                table.row("expect " + s, peer + "  (side " + s + " latches onto this source only)");
            }
        }
        return "Allocated channel " + c.id() + " for " + c.owner() + "\n" + table
                .row("expire", a.expire() + "  (seconds without traffic before the relay closes it)")
                .row("id", a.id());
    }
}
