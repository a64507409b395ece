package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.AddressFamily;
import relay.api.ChannelRequest;
import relay.api.DropReason;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;

/** The relay on IPv6: over ::1, and on the dual-stack wildcard with an IPv4 and an IPv6 party. */
class Ipv6Test {

    private RelayCore core;

    @AfterEach
    void stop() {
        core.deactivate();
    }

    private static DatagramSocket on(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.setSoTimeout(2000);
        return s;
    }

    private static void send(DatagramSocket from, String to, int port, byte... data) throws Exception {
        from.send(new DatagramPacket(data, data.length, InetAddress.getByName(to), port));
    }

    private static byte[] receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void forwardsOverIpv6AndHandsOutTheAddressInItsShortForm() throws Exception {
        core = Relays.start(Relays.config(23800, 23899, "bind.address", "::1"));
        try (DatagramSocket a = on("::1"); DatagramSocket b = on("::1"); DatagramSocket stranger = on("::1")) {
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com").withExpectedPeers(
                    ExpectedPeer.of(InetAddress.getByName("::1"), a.getLocalPort()), null));
            assertEquals("::1", ch.host());
            send(stranger, "::1", ch.portA(), (byte) 9);
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).orElseThrow().aToB().dropped(DropReason.UNEXPECTED_PEER) == 1));
            send(a, "::1", ch.portA(), (byte) 1);
            Thread.sleep(50);
            send(b, "::1", ch.portB(), (byte) 2);
            assertArrayEquals(new byte[] {2}, receive(a));
            send(a, "::1", ch.portA(), (byte) 3);
            assertArrayEquals(new byte[] {3}, receive(b));
            assertEquals(a.getLocalSocketAddress(), core.channel(ch.id()).orElseThrow().sideA().rtpPeer());
        }
    }

    @Test
    void theDualStackWildcardBridgesAnIpv4AndAnIpv6Party() throws Exception {
        core = Relays.start(Relays.config(23900, 23999, "bind.address", "::", "public.address", "::1"));
        try (DatagramSocket v4 = on("127.0.0.1"); DatagramSocket v6 = on("::1")) {
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
            send(v4, "127.0.0.1", ch.portA(), (byte) 1);
            Thread.sleep(50);
            send(v6, "::1", ch.portB(), (byte) 2);
            assertArrayEquals(new byte[] {2}, receive(v4), "IPv6 to IPv4");
            send(v4, "127.0.0.1", ch.portA(), (byte) 3);
            assertArrayEquals(new byte[] {3}, receive(v6), "IPv4 to IPv6");
        }
    }

    @Test
    void aBridgePutsSideBOnIpv6WhenTheRelayIsOnIpv4() throws Exception {
        core = Relays.start(Relays.config(23800, 23899, "bind.address", "127.0.0.1", "bind.address6", "::1"));
        try (DatagramSocket v4 = on("127.0.0.1"); DatagramSocket v6 = on("::1")) {
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com").withFamilies(AddressFamily.IPV4,
                    AddressFamily.IPV6));
            assertEquals("127.0.0.1", ch.host());
            assertEquals("127.0.0.1", ch.sideA().host());
            assertEquals("::1", ch.sideB().host());
            send(v4, "127.0.0.1", ch.portA(), (byte) 1);
            Thread.sleep(50);
            send(v6, "::1", ch.portB(), (byte) 2);
            assertArrayEquals(new byte[] {2}, receive(v4), "IPv6 to IPv4");
            send(v4, "127.0.0.1", ch.portA(), (byte) 3);
            assertArrayEquals(new byte[] {3}, receive(v6), "IPv4 to IPv6");
            RelayChannel plain = core.allocate(ChannelRequest.of("bob@example.com"));
            assertEquals(null, plain.sideB().host(), "one address for both sides");
        }
    }

    @Test
    void aBridgeWithoutAnIpv6AddressIsABadRequestAndLeavesNothing() throws Exception {
        core = Relays.start(Relays.config(23900, 23999, "bind.address", "127.0.0.1"));
        int free = core.stats().portsFree();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> core.allocate(ChannelRequest.of("alice@example.com").withFamilies(null, AddressFamily.IPV6)));
        assertTrue(e.getMessage().contains("bind.address6"), e.getMessage());
        assertEquals(free, core.stats().portsFree());
        assertEquals(0, core.stats().liveChannels());
    }

    @Test
    void theScanGuardCountsIpv6SourcesAsItCountsIpv4Ones() throws Exception {
        core = Relays.start(Relays.config(23800, 23899, "bind.address", "::1", "scan.guard.ports", 2,
                "scan.guard.exempt", "127.0.0.0/8")); // ::1 is exempt by default
        java.util.List<RelayChannel> channels = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            channels.add(core.allocate(ChannelRequest.of("u" + i + "@example.com")));
        }
        try (DatagramSocket scanner = on("::1")) {
            for (RelayChannel ch : channels) {
                send(scanner, "::1", ch.portA(), (byte) 1);
            }
            assertTrue(Relays.eventually(() -> channels.stream().mapToLong(c -> core.channel(c.id()).orElseThrow().aToB()
                    .dropped(DropReason.SCAN_GUARD)).sum() == 1), "one latch of [::1] past the limit was refused");
            assertEquals(2, channels.stream().filter(c -> core.channel(c.id()).orElseThrow().sideA().latched()).count());
        }
    }
}
