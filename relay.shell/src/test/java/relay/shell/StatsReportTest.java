package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.RelayDeniedException.Reason;
import relay.api.RelayStats;
import relay.api.Traffic;

class StatsReportTest {

    private final RelayStats stats = RelayStats.builder().started(Samples.NOW.minusSeconds(2 * 3600 + 3 * 60 + 9))
            .liveChannels(3).allocated(12_345)
            .destroyed(Map.of(DestroyReason.REQUESTED, 4L, DestroyReason.EXPIRED, 12_338L))
            .denied(Map.of(Reason.POLICY, 2L, Reason.PORTS_EXHAUSTED, 1L)).invalid(5)
            .forwarded(Traffic.of(1_234_567, 987_654_321, Map.of(DropReason.NOT_LATCHED, 15L, DropReason.FOREIGN_SOURCE, 2L)))
            .portsFree(1970).portsTotal(2000).draining(false).maxChannels(10_000).effectiveCapacity(500)
            .listenerDrops(7).build();

    @Test
    void totalsByReasonWithEveryReasonShown() {
        assertEquals("""
                uptime            2h 03m (since 2025-11-22 07:56:51 UTC)
                live channels     3 (max 10,000)
                capacity          500 channels (the port range holds fewer than max.channels)
                allocated         12,345
                destroyed         12,342: requested 4, expired 12,338, revoked 0, shutdown 0, fault 0
                denied            3: policy 2, capacity 0, ports exhausted 1, draining 0, resources 0
                invalid requests  5
                forwarded         1,234,567 datagrams, 988 MB
                dropped           17: not latched 15, foreign source 2, loop 0, send buffer full 0, send error 0, unexpected peer 0, scan guard 0, rate limited 0
                ports             1,970 free of 2,000
                I/O loop faults   0
                listener drops    7
                drain mode        off
                """, StatsReport.render(stats, Samples.NOW));
    }

    @Test
    void aCapacityThatMaxChannelsSetsNeedsNoExplanation() {
        RelayStats roomy = RelayStats.builder().started(Samples.NOW).maxChannels(100).effectiveCapacity(100).build();
        assertEquals(List.of("capacity          100 channels"),
                StatsReport.render(roomy, Samples.NOW).lines().filter(l -> l.startsWith("capacity")).toList());
    }

    @Test
    void newDenialAndDropReasonsAreCountedLikeTheOthers() {
        RelayStats s = RelayStats.builder().started(Samples.NOW).denied(Map.of(Reason.RESOURCES, 2L))
                .forwarded(Traffic.of(0, 0, Map.of(DropReason.UNEXPECTED_PEER, 5L, DropReason.SCAN_GUARD, 3L))).build();
        String text = StatsReport.render(s, Samples.NOW);
        assertTrue(text.contains("\ndenied            2: policy 0, capacity 0, ports exhausted 0, draining 0, resources 2\n"), text);
        assertTrue(text.contains("\ndropped           8: not latched 0, foreign source 0, loop 0, send buffer full 0, send error 0,"
                + " unexpected peer 5, scan guard 3, rate limited 0\n"), text);
    }

    @Test
    void drainModeOnIsSpelledOut() {
        RelayStats draining = RelayStats.builder().started(Samples.NOW).forwarded(Traffic.NONE).portsFree(10)
                .portsTotal(10).draining(true).maxChannels(1).build();
        String text = StatsReport.render(draining, Samples.NOW);
        assertEquals("drain mode        on (no new channels)", text.lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void oneLineSummary() {
        assertEquals("up 2h 03m, 3 live, 12,345 allocated, 988 MB forwarded", StatsReport.line(stats, Samples.NOW));
    }
}
