package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flood's source plan, and the flood itself on real loopback sockets (Linux: all of 127/8 is local). */
class FloodSenderTest {

    private static final InetAddress A2 = address("127.0.0.2");
    private static final InetAddress A3 = address("127.0.0.3");

    @Test
    void mixedSourcesAlternateRelayPortsAndOtherPorts() {
        List<FloodSender.Source> plan = FloodSender.plan(List.of(A2, A3), BenchOptions.FloodPorts.MIXED,
                List.of(20_000, 20_001, 20_002));
        assertEquals(List.of(
                new FloodSender.Source(A2, 20_000, true), new FloodSender.Source(A2, 61_000, false),
                new FloodSender.Source(A2, 20_001, true), new FloodSender.Source(A2, 61_001, false),
                new FloodSender.Source(A3, 20_002, true), new FloodSender.Source(A3, 61_002, false),
                new FloodSender.Source(A3, 20_000, true), new FloodSender.Source(A3, 61_003, false)), plan);
    }

    @Test
    void relayOrOtherPortsOnly() {
        List<FloodSender.Source> relay = FloodSender.plan(List.of(A2), BenchOptions.FloodPorts.RELAY, List.of(30_000));
        assertEquals(FloodSender.PORTS_PER_ADDRESS, relay.size());
        assertTrue(relay.stream().allMatch(s -> s.relayPort() && s.port() == 30_000));
        List<FloodSender.Source> other = FloodSender.plan(List.of(A2, A3), BenchOptions.FloodPorts.OTHER, List.of());
        assertEquals(2 * FloodSender.PORTS_PER_ADDRESS, other.size());
        assertTrue(other.stream().noneMatch(FloodSender.Source::relayPort));
        assertEquals(61_007, other.get(7).port());
        assertThrows(IllegalArgumentException.class, () -> FloodSender.plan(List.of(), BenchOptions.FloodPorts.OTHER,
                List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> FloodSender.plan(List.of(A2), BenchOptions.FloodPorts.MIXED,
                List.of()));
    }

    @Test
    void theFloodComesAtTheRateFromEverySourceToEveryTarget() throws Exception {
        try (Receiver t1 = new Receiver(); Receiver t2 = new Receiver()) {
            List<FloodSender.Source> plan = FloodSender.plan(List.of(A2, A3), BenchOptions.FloodPorts.MIXED,
                    List.of(t1.port(), t2.port()));
            try (FloodSender flood = new FloodSender(plan, 100)) {
                assertEquals(8, flood.sources());
                Set<InetSocketAddress> sources = new HashSet<>();
                long received = 0;
                flood.start(4000, List.of(t1.address(), t2.address()));
                for (int i = 0; i < 50; i++) {                  // half a second, read as it comes
                    Thread.sleep(10);
                    received += t1.drain(sources) + t2.drain(sources);
                }
                FloodSender.Result r = flood.stop();
                Thread.sleep(20);
                received += t1.drain(sources) + t2.drain(sources);
                assertTrue(r.sent() >= 1500 && r.sent() <= 2400, "about 2000 datagrams in half a second: " + r.sent());
                assertTrue(r.offeredPps() > 3000 && r.offeredPps() < 5000, "offered " + r.offeredPps());
                assertEquals(0, r.errors());
                assertEquals(r.sent(), received + r.sendFull(), "every datagram sent arrived (loopback, big buffers)");
                assertEquals(8, sources.size(), "every source socket sent: " + sources);
                assertTrue(sources.contains(new InetSocketAddress(A2, t1.port())), "a source on a relay port: " + sources);
                assertTrue(sources.stream().allMatch(s -> s.getAddress().equals(A2) || s.getAddress().equals(A3)));
                assertTrue(r.cpuUtil() < 1.0, "the thread sleeps between bursts: " + r.cpuUtil());
                assertTrue(r.busyMs() >= r.cpuSeconds() * 1000, "runnable at least while it ran: " + r);
                assertEquals(FloodSender.Result.NONE, flood.stop(), "stopping twice is harmless");
                flood.start(1000, List.of(t1.address()));       // the same sockets, another target
                Thread.sleep(100);
                assertTrue(flood.stop().sent() > 0);
            }
        }
    }

    @Test
    void theDatagramsAreNotProbesOfTheBench() throws Exception {
        try (Receiver t = new Receiver();
             FloodSender flood = new FloodSender(FloodSender.plan(List.of(A2), BenchOptions.FloodPorts.OTHER, List.of()),
                     RtpPacket.DEFAULT_SIZE)) {
            flood.start(1000, List.of(t.address()));
            Thread.sleep(50);
            flood.stop();
            ByteBuffer b = ByteBuffer.allocate(2048);
            t.channel.configureBlocking(true);
            t.channel.receive(b);
            b.flip();
            assertEquals(RtpPacket.DEFAULT_SIZE, b.remaining());
            assertEquals((byte) 0x80, b.get(0), "RTP version 2");
            assertEquals(FloodSender.SSRC, RtpPacket.ssrc(b));
            assertTrue(!RtpPacket.isProbe(b, b.remaining(), 0) && !RtpPacket.isProbe(b, b.remaining(), -1));
        }
    }

    @Test
    void aSourceThisHostCannotSendFromIsNamed() {
        IOException e = assertThrows(IOException.class, () -> new FloodSender(
                FloodSender.plan(List.of(address("198.51.100.7")), BenchOptions.FloodPorts.OTHER, List.of()), 100));
        assertTrue(e.getMessage().contains("198.51.100.7") && e.getMessage().contains("--flood-from"), e.getMessage());
    }

    @Test
    void aRelayPortHeldOnEveryAddressIsNamed() throws Exception {
        try (DatagramChannel wildcard = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(0))) {
            int port = ((InetSocketAddress) wildcard.getLocalAddress()).getPort();
            IOException e = assertThrows(IOException.class, () -> new FloodSender(
                    FloodSender.plan(List.of(A2), BenchOptions.FloodPorts.RELAY, List.of(port)), 100));
            assertTrue(e.getMessage().contains("127.0.0.2:" + port) && e.getMessage().contains("--flood-ports other"),
                    e.getMessage());
        }
    }

    @Test
    void aBusyOtherPortMovesUp() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open(StandardProtocolFamily.INET)) {
            try {
                squatter.bind(new InetSocketAddress(A3, FloodSender.OTHER_PORT_BASE + 1));
            } catch (BindException e) {
                // already held by someone else: busy all the same
            }
            try (FloodSender flood = new FloodSender(FloodSender.plan(List.of(A3), BenchOptions.FloodPorts.OTHER,
                    List.of()), 100)) {
                assertEquals(FloodSender.PORTS_PER_ADDRESS, flood.sources());
            }
        }
    }

    /** A socket on 127.0.0.1 with a large receive buffer that counts what arrives. */
    private static final class Receiver implements AutoCloseable {
        final DatagramChannel channel;

        Receiver() throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
        }

        int port() throws IOException {
            return address().getPort();
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        long drain(Set<InetSocketAddress> sources) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(2048);
            long n = 0;
            while (true) {
                b.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(b);
                if (from == null) {
                    return n;
                }
                sources.add(from);
                n++;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
