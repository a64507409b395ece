package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        core = Relays.start(Relays.config(21100, 21199, "latch.connect", false));
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

    /**
     * By default a latched socket is connected to its peer: the kernel drops a third party's datagrams before the
     * loop wakes, so they are neither forwarded nor counted, on RTP and RTCP alike.
     */
    @Test
    void aLatchedSocketIsConnectedSoTheKernelDropsAThirdPartyUncounted() throws Exception {
        core = Relays.start(Relays.config(21100, 21199));
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer(); UdpPeer intruder = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            a.send(ch.sideA().rtcpPort(), new byte[] {10}); // RTCP latches on its own
            b.send(ch.sideB().rtcpPort(), new byte[] {11});
            assertArrayEquals(new byte[] {11}, a.receive(2000), "RTCP B to A");
            a.send(ch.sideA().rtcpPort(), new byte[] {12});
            assertArrayEquals(new byte[] {12}, b.receive(2000), "RTCP A to B");
            assertTrue(Relays.eventually(() -> core.latchedSocketsConnected(ch.id())), "all four sockets connect");
            for (int i = 0; i < 5; i++) {
                intruder.send(ch.portA(), new byte[] {66});
                intruder.send(ch.sideA().rtcpPort(), new byte[] {67});
                intruder.send(ch.portB(), new byte[] {68});
            }
            a.send(ch.portA(), new byte[] {7});
            assertArrayEquals(new byte[] {7}, b.receive(2000), "the latched peer still gets through");
            b.send(ch.portB(), new byte[] {8});
            assertArrayEquals(new byte[] {8}, a.receive(2000));
            assertNull(b.receive(200), "nothing of the intruder reached B");
            assertNull(a.receive(100), "nor A");
            RelayChannel now = core.channel(ch.id()).orElseThrow();
            assertEquals(0, now.aToB().dropped(DropReason.FOREIGN_SOURCE), "the kernel dropped them: the relay never saw them");
            assertEquals(0, now.bToA().dropped(DropReason.FOREIGN_SOURCE));
            assertEquals(2, now.aToB().packets(), "RTP and RTCP: only the peer's");
            assertEquals(a.address(), now.sideA().rtpPeer(), "still latched on A's first source");
        }
    }

    /**
     * A connected socket hears the ICMP port unreachable its peer's host sends back while the peer is gone: the
     * next call on it fails, counted as a send error, and the loop goes on; the peer back on its port is served.
     */
    @Test
    void anIcmpErrorOnAConnectedSocketIsCountedAndThePeerBackOnItsPortIsServed() throws Exception {
        core = Relays.start(Relays.config(21100, 21199, "io.threads", 1));
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer()) {
            java.net.InetSocketAddress bAddress;
            try (UdpPeer b = new UdpPeer()) {
                ForwardingTest.latch(a, ch.portA(), b, ch.portB());
                bAddress = b.address();
            } // B is gone: its port is closed
            for (int i = 0; i < 5; i++) {
                a.send(ch.portA(), new byte[] {(byte) i}); // each send to B's closed port brings an ICMP error back
                Thread.sleep(20);
            }
            // seen by the next call on B's socket: a send (counted A to B) or the read its readiness brings (B to A)
            assertTrue(Relays.eventually(() -> sendErrors(core.channel(ch.id()).orElseThrow()) >= 1),
                    () -> "the error is seen on the connected socket: " + core.channel(ch.id()).orElseThrow().aToB() + " "
                            + core.channel(ch.id()).orElseThrow().bToA());
            try (java.net.DatagramSocket back = new java.net.DatagramSocket(bAddress)) {
                back.setSoTimeout(2000);
                back.send(new java.net.DatagramPacket(new byte[] {9}, 1, UdpPeer.LOOPBACK, ch.portB()));
                assertArrayEquals(new byte[] {9}, a.receive(2000), "B, back on its port, reaches A");
                a.send(ch.portA(), new byte[] {10});
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[10], 10);
                back.receive(p);
                assertEquals(1, p.getLength());
                assertEquals(10, p.getData()[0], "and A reaches B");
            }
        }
    }

    private static long sendErrors(RelayChannel c) {
        return c.aToB().dropped(DropReason.SEND_ERROR) + c.bToA().dropped(DropReason.SEND_ERROR);
    }

    /** Handover must see new sources: its sockets are never connected. */
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
            assertFalse(core.latchedSocketsConnected(ch.id()), "latched, and not connected");
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
