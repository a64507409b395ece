package relay.shell;

import relay.api.RelayChannel;

/**
 * {@code relay:allocate}: the new channel as a Jingle Nodes (XEP-0278) client needs it:
 * host, localport (for the requester), remoteport (for the other party), expire.
 */
final class AllocationReport {

    private AllocationReport() {
    }

    static String render(Allocation a) {
        RelayChannel c = a.channel();
        String rtcp = c.rtcp() ? c.sideA().rtcpPort() + " and " + c.sideB().rtcpPort() : "none (rtcp-mux)";
        return "Allocated channel " + c.id() + " for " + c.owner() + "\n" + Table.keyValue()
                .row("host", a.host())
                .row("localport", a.localport() + "  (the requester sends here: side A)")
                .row("remoteport", a.remoteport() + "  (the other party sends here: side B)")
                .row("rtcp ports", rtcp)
                .row("expire", a.expire() + "  (seconds without traffic before the relay closes it)")
                .row("id", a.id());
    }
}
