package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import relay.api.ChannelSide;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;

class AllocationReportTest {

    @Test
    void whatAJingleNodesClientNeeds() {
        RelayChannel c = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ZERO, Duration.ZERO);
        assertEquals("""
                Allocated channel Bx8 for bob@example.com
                host        127.0.0.1
                localport   25010  (the requester sends here: side A)
                remoteport  25012  (the other party sends here: side B)
                rtcp ports  25011 and 25013
                expire      60  (seconds without traffic before the relay closes it)
                id          Bx8
                """, AllocationReport.render(new Allocation(c)));
    }

    @Test
    void expectedPeersAreShownForTheSidesThatHaveOne() {
        RelayChannel w = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ZERO, Duration.ZERO);
        RelayChannel c = RelayChannel.builder(w).sideA(w.sideA().withExpectedPeer(ExpectedPeer.parse("192.0.2.7:4000")))
                .sideB(w.sideB().withExpectedPeer(ExpectedPeer.parse("[2001:db8::1]:4000"))).build();
        assertEquals("""
                Allocated channel Bx8 for bob@example.com
                host        127.0.0.1
                localport   25010  (the requester sends here: side A)
                remoteport  25012  (the other party sends here: side B)
                rtcp ports  25011 and 25013
                expect A    192.0.2.7:4000  (side A latches onto this source only)
                expect B    %s  (side B latches onto this source only)
                expire      60  (seconds without traffic before the relay closes it)
                id          Bx8
                """.formatted(ExpectedPeer.parse("[2001:db8::1]:4000")), AllocationReport.render(new Allocation(c)));
        RelayChannel onlyB = RelayChannel.builder(w).sideB(w.sideB().withExpectedPeer(ExpectedPeer.parse("192.0.2.9"))).build();
        String text = AllocationReport.render(new Allocation(onlyB));
        assertTrue(text.contains("\nexpect B    192.0.2.9  (side B latches onto this source only)\n"), text);
        assertTrue(!text.contains("expect A"), text);
    }

    @Test
    void withoutRtcpThereAreNoRtcpPorts() {
        RelayChannel w = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ZERO, Duration.ZERO);
        RelayChannel mux = RelayChannel.builder(w).rtcp(false).sideA(ChannelSide.of(25010, 0, null, null))
                .sideB(ChannelSide.of(25011, 0, null, null)).build();
        assertTrue(AllocationReport.render(new Allocation(mux)).contains("\nrtcp ports  none (rtcp-mux)\n"));
    }

    @Test
    void theAllocationAnswersInJingleTerms() {
        Allocation a = new Allocation(Samples.active());
        assertEquals(25000, a.localport());
        assertEquals(25002, a.remoteport());
        assertEquals("127.0.0.1", a.host());
        assertEquals(60, a.expire());
        assertEquals("Zq3xYk7P-a_9LmN2bV8wQc", a.id());
    }
}
