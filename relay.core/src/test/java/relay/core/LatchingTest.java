package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.testing.UdpPeer;

class LatchingTest {

    private RelayCore core;

    @AfterEach
    void stop() {
        core.deactivate();
    }

    @Test
    void strictLatchingDropsAThirdPartyAndCountsIt() throws Exception {
        core = Relays.start(Relays.config(21100, 21199));
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer(); UdpPeer intruder = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            for (int i = 0; i < 5; i++) {
                intruder.send(ch.portA(), new byte[] {66});
            }
            a.send(ch.portA(), new byte[] {7});
            assertArrayEquals(new byte[] {7}, b.receive(2000), "the latched peer still gets through");
            assertNull(b.receive(200), "nothing of the intruder reached B");
            RelayChannel now = core.channel(ch.id()).orElseThrow();
            assertEquals(5, now.aToB().dropped(DropReason.FOREIGN_SOURCE));
            assertEquals(a.address(), now.sideA().rtpPeer(), "still latched on A's first source");
        }
    }

    @Test
    void handoverRelatchesOnlyAfterTheQuietPeriod() throws Exception {
        ManualClock clock = new ManualClock();
        core = Relays.start(Relays.config(21200, 21299, "latching", "handover", "handover.quiet.ms", 300), clock);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer(); UdpPeer roamed = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            a.send(ch.portA(), new byte[] {1});
            assertArrayEquals(new byte[] {1}, b.receive(2000));
            roamed.send(ch.portA(), new byte[] {2});
            assertNull(b.receive(100), "A spoke just now: the new source is refused");
            assertEquals(1, core.channel(ch.id()).orElseThrow().aToB().dropped(DropReason.FOREIGN_SOURCE));

            clock.advance(Duration.ofMillis(450)); // A stays quiet for longer than handover.quiet.ms
            roamed.send(ch.portA(), new byte[] {3});
            assertArrayEquals(new byte[] {3}, b.receive(2000), "after the quiet period the new source takes over");
            b.send(ch.portB(), new byte[] {4});
            assertArrayEquals(new byte[] {4}, roamed.receive(2000), "and B's media now goes to it");
            assertNull(a.receive(100));
            assertEquals(roamed.address(), core.channel(ch.id()).orElseThrow().sideA().rtpPeer());
        }
    }

    @Test
    void neverLatchesOntoOneOfItsOwnSockets() throws Exception {
        core = Relays.start(Relays.config(21300, 21399));
        RelayChannel first = core.allocate(ChannelRequest.of("alice@example.com"));
        RelayChannel second = core.allocate(ChannelRequest.of("bob@example.com"));
        // a datagram from a local address and a port the relay holds looks like one of its own sockets
        // (the whole of 127/8 is this host, so 127.0.0.2 can borrow the relay's port number)
        try (java.net.DatagramSocket own = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.2"), second.portA()))) {
            byte[] d = {9};
            own.send(new java.net.DatagramPacket(d, 1, java.net.InetAddress.getLoopbackAddress(), first.portB()));
            assertTrue(Relays.eventually(() -> core.channel(first.id()).orElseThrow().bToA().dropped(DropReason.LOOP) == 1));
            RelayChannel now = core.channel(first.id()).orElseThrow();
            assertNull(now.sideB().rtpPeer(), "side B did not latch onto a relay socket");
        }
        try (UdpPeer b = new UdpPeer()) {
            b.send(first.portB(), new byte[] {1});
            assertTrue(Relays.eventually(() -> b.address().equals(core.channel(first.id()).orElseThrow().sideB().rtpPeer())),
                    "a real peer still latches afterwards");
        }
    }
}
