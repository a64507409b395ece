package relay.shell;

import java.time.Duration;
import java.time.Instant;

import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.RelayDeniedException;
import relay.api.RelayStats;
import relay.api.Traffic;

/** {@code relay:stats}: the relay's totals since start, one aligned line per subject. */
final class StatsReport {

    private StatsReport() {
    }

    static String render(RelayStats s, Instant now) {
        Traffic f = s.forwarded();
        return Table.keyValue()
                .row("uptime", Units.duration(Duration.between(s.started(), now)) + " (since "
                        + Units.instant(s.started()) + ")")
                .row("live channels", Units.count(s.liveChannels()) + " (max " + Units.count(s.maxChannels()) + ")")
                .row("capacity", Units.count(s.effectiveCapacity()) + " channels"
                        + (s.effectiveCapacity() < s.maxChannels() ? " (the port range holds fewer than max.channels)" : ""))
                .row("allocated", Units.count(s.allocated()))
                .row("destroyed", Units.count(Units.total(s.destroyed())) + ": "
                        + Units.byReason(s.destroyed(), DestroyReason.class))
                .row("denied", Units.count(Units.total(s.denied())) + ": "
                        + Units.byReason(s.denied(), RelayDeniedException.Reason.class))
                .row("invalid requests", Units.count(s.invalid()))
                .row("forwarded", Units.count(f.packets(), "datagram", "datagrams") + ", " + Units.bytes(f.bytes()))
                .row("dropped", Units.count(f.droppedTotal()) + ": " + Units.byReason(f.dropped(), DropReason.class))
                .row("ports", Units.count(s.portsFree()) + " free of " + Units.count(s.portsTotal()))
                .row("I/O loop faults", Units.count(s.ioLoopFaults()))
                .row("listener drops", Units.count(s.listenerDrops()))
                .row("drain mode", s.draining() ? "on (no new channels)" : "off")
                .toString();
    }

    /** One line, for output that embeds the stats. */
    static String line(RelayStats s, Instant now) {
        return "up " + Units.duration(Duration.between(s.started(), now)) + ", " + Units.count(s.liveChannels())
                + " live, " + Units.count(s.allocated()) + " allocated, " + Units.bytes(s.forwarded().bytes())
                + " forwarded";
    }
}
