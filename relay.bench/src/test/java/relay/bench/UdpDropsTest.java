package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UdpDropsTest {

    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             4319: 0100007F:3828 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 276935 2 00000000b45a8b46 17
             4320: 0100007F:3829 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 276936 2 000000004163cade 5
             4321: 0100007F:9C40 0100007F:3828 01 00000000:00000000 00:00000000 00000000     0        0 276937 2 000000004163cadf 100
            """;

    private static final String UDP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             100: 0000000000000000FFFF00000100007F:3828 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 3
            """;

    @Test
    void sumsTheDropsOfTheGivenPorts() {
        assertEquals(22, UdpDrops.sum(UDP, Set.of(0x3828, 0x3829)));
        assertEquals(100, UdpDrops.sum(UDP, Set.of(40_000)));
        assertEquals(0, UdpDrops.sum(UDP, Set.of(1)));
        assertEquals(3, UdpDrops.sum(UDP6, Set.of(0x3828)), "IPv4-mapped sockets of the udp6 table");
    }

    @Test
    void sumsTheQueuedBytesOfTheGivenPorts() {
        String udp = UDP.replace("07 00000000:00000000 00:00000000 00000000     0        0 276935",
                "07 00000000:000004D0 00:00000000 00000000     0        0 276935");
        assertEquals(0x4D0, UdpDrops.queuedSum(udp, Set.of(0x3828, 0x3829)));
        assertEquals(0, UdpDrops.queuedSum(UDP, Set.of(0x3828)));
    }

    @Test
    void seesARealQueue() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel source = DatagramChannel.open(StandardProtocolFamily.INET)) {
            sink.bind(new InetSocketAddress(lo, 0));
            int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            assertEquals(0, UdpDrops.queued(Set.of(port)));
            source.send(ByteBuffer.allocate(172), sink.getLocalAddress());
            assertTrue(UdpDrops.queued(Set.of(port)) >= 172, "a datagram waits to be read");
            sink.receive(ByteBuffer.allocate(2048));
            assertEquals(0, UdpDrops.queued(Set.of(port)));
        }
    }

    @Test
    void countsARealOverflowingQueue() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel source = DatagramChannel.open(StandardProtocolFamily.INET)) {
            sink.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            sink.bind(new InetSocketAddress(lo, 0));
            int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            long before = UdpDrops.of(Set.of(port));
            ByteBuffer b = ByteBuffer.allocate(172);
            for (int i = 0; i < 500; i++) {                  // nobody reads: the small queue overflows
                b.clear();
                source.send(b, sink.getLocalAddress());
            }
            long after = UdpDrops.of(Set.of(port));
            assertTrue(after - before > 0, "drops of port " + port + ": " + before + " -> " + after);
        }
    }
}
