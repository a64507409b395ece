package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;

class PortPoolTest {

    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    void exhaustionIsADenialAndADestroyedChannelsPortsComeBack() throws Exception {
        core = Relays.start(Relays.config(21500, 21511)); // 6 pairs = 3 channels
        Set<Integer> ports = new HashSet<>();
        RelayChannel first = null;
        for (int i = 0; i < 3; i++) {
            RelayChannel ch = core.allocate(ChannelRequest.of("u" + i + "@example.com"));
            first = first == null ? ch : first;
            assertTrue(ports.add(ch.portA()) && ports.add(ch.portB()), "no port handed out twice");
        }
        RelayDeniedException e = assertThrows(RelayDeniedException.class,
                () -> core.allocate(ChannelRequest.of("late@example.com")));
        assertEquals(RelayDeniedException.Reason.PORTS_EXHAUSTED, e.reason());
        assertTrue(e.getMessage().contains("21500..21511"), e.getMessage());
        assertEquals(3, core.channels().size(), "the denial lost nothing");
        assertEquals(0, core.stats().portsFree());

        core.destroy(first.id()).orElseThrow();
        RelayChannel again = core.allocate(ChannelRequest.of("late@example.com"));
        assertEquals(Set.of(first.portA(), first.portB()), Set.of(again.portA(), again.portB()),
                "the only free ports are the ones just released");
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new java.net.DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), again.portA()));
        }
    }

    @Test
    void aFreedPortGoesToTheBackOfTheQueue() throws Exception {
        core = Relays.start(Relays.config(21520, 21599));
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        core.destroy(ch.id());
        for (int i = 0; i < 10; i++) {
            RelayChannel next = core.allocate(ChannelRequest.of("bob" + i + "@example.com"));
            assertFalse(Set.of(next.portA(), next.portB()).contains(ch.portA()), "reused as late as possible");
            assertFalse(Set.of(next.portA(), next.portB()).contains(ch.portB()), "reused as late as possible");
        }
    }

    @Test
    void aPortHeldByAnotherProcessIsSkipped() throws Exception {
        // hold the RTCP port of the second pair: that pair can't be used, the other two can
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 21603))) {
            core = Relays.start(Relays.config(21600, 21605));
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
            assertEquals(Set.of(21600, 21604), Set.of(ch.portA(), ch.portB()));
            assertNotEquals(0, squatter.getLocalPort());
            assertEquals(RelayDeniedException.Reason.PORTS_EXHAUSTED,
                    assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("b@example.com"))).reason());
        }
        core.destroy(core.channels().get(0).id());
        RelayChannel after = core.allocate(ChannelRequest.of("b@example.com"));
        assertTrue(after.portA() >= 21600 && after.portB() <= 21604, "the squatter's pair is usable once it left");
    }

    @Test
    void withoutRtcpEachSideHasOnePort() throws Exception {
        core = Relays.start(Relays.config(21610, 21613, "rtcp", false));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            RelayChannel ch = core.allocate(ChannelRequest.of("u" + i + "@example.com"));
            assertFalse(ch.rtcp());
            assertEquals(0, ch.sideA().rtcpPort());
            ports.add(ch.portA());
            ports.add(ch.portB());
        }
        assertEquals(Set.of(21610, 21611, 21612, 21613), ports, "odd ports are used too");
    }
}
