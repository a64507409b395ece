package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import relay.api.ChannelSide;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;

class ChannelDetailsTest {

    @Test
    void everythingAboutOneChannelDropsByReasonIncluded() {
        assertEquals("""
                id        Zq3xYk7P-a_9LmN2bV8wQc
                owner     alice@example.com
                state     active
                host      127.0.0.1
                rtcp      yes
                max kbps  none
                max pps   none
                created   2025-11-22 09:56:55 UTC, 3m 05s ago
                idle      2s (destroyed after 60s idle)

                SIDE    RTP   RTCP  RTP PEER         RTCP PEER
                A     25000  25001  127.0.0.1:40000  127.0.0.1:40001
                B     25002  25003  127.0.0.1:41000  -

                DIRECTION  PACKETS   BYTES  DROPPED  DROPPED BY REASON
                A->B        12,345  1.2 MB        4  not latched 3, foreign source 1
                B->A        12,001  1.2 MB        0  -
                """, ChannelDetails.render(Samples.active(), Samples.NOW));
    }

    @Test
    void expectedPeersAreShownUnderTheChannel() {
        RelayChannel a = Samples.active();
        RelayChannel c = RelayChannel.builder(a).sideA(a.sideA().withExpectedPeer(ExpectedPeer.parse("127.0.0.1:40000")))
                .build();
        String text = ChannelDetails.render(c, Samples.NOW);
        assertTrue(text.startsWith("id        Zq3xYk7P-a_9LmN2bV8wQc\n"), text);
        assertTrue(text.contains("\nrtcp      yes\nmax kbps  none\nmax pps   none\nexpect A  127.0.0.1:40000\ncreated   "), text);
        assertTrue(!text.contains("expect B"), text);
    }

    @Test
    void aChannelWithoutRtcpShowsNoRtcpPorts() {
        RelayChannel w = Samples.waiting("Bx8", "bob@example.com", 25010, Duration.ofSeconds(7), Duration.ofSeconds(7));
        RelayChannel mux = RelayChannel.builder(w).rtcp(false).sideA(ChannelSide.of(25010, 0, null, null))
                .sideB(ChannelSide.of(25011, 0, null, null)).build();
        String text = ChannelDetails.render(mux, Samples.NOW);
        assertTrue(text.contains("rtcp      no\n"), text);
        assertTrue(text.contains("A     25010     -  -         -\n"), text);
        assertTrue(text.contains("B->A             0    0 B        0  -\n"), text);
    }
}
