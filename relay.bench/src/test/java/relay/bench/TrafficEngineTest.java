package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The traffic engine against a tiny latching forwarder on real loopback sockets. */
class TrafficEngineTest {

    private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void everyPacketComesBackOnTheRightSocket() throws Exception {
        try (LoopbackForwarder relay = new LoopbackForwarder(4);
             TrafficEngine engine = new TrafficEngine(relay.all(), 0, RtpPacket.DEFAULT_SIZE, true)) {
            long latched = engine.latch(3, 10, 200);
            // round 1: X's packet is dropped (B not latched yet), Y's goes through; rounds 2-3: both
            assertTrue(latched >= 4 && latched <= 20, "latch packets back: " + latched);
            engine.warmup(2000, ONE_SECOND / 4);
            Window w = engine.measure(2000, ONE_SECOND);
            assertTrue(w.sent >= 1500, "about 2000 pps for a second: " + w.sent);
            assertEquals(w.sent, w.received, "a loss-free forwarder loses nothing");
            assertEquals(w.received, w.latency.count(), "one latency sample per packet");
            assertTrue(w.latency.quantile(0.5) > 0);
            assertEquals(0, w.misrouted + w.stray + w.wrongSize + w.icmpErrors + w.reordered);
            assertEquals(0.0, w.lossPct());
            assertEquals(8, relay.ssrcs.size(), "one SSRC per stream: 4 flows x 2 directions");
        }
    }

    @Test
    void lossIsCountedExactly() throws Exception {
        // the forwarder drops every measured packet whose stream sequence is a multiple of 10
        try (LoopbackForwarder relay = new LoopbackForwarder(2,
                b -> b.remaining() >= RtpPacket.MIN_SIZE && RtpPacket.phase(b) == RtpPacket.Phase.MEASURE.code
                        && RtpPacket.sequence(b) % 10 == 0, false);
             TrafficEngine engine = new TrafficEngine(relay.all(), 0, RtpPacket.DEFAULT_SIZE, true)) {
            engine.latch(3, 10, 200);
            Window w = engine.measure(4000, ONE_SECOND / 2);
            assertEquals(relay.dropped.get(), w.sent - w.received);
            assertTrue(w.lossPct() > 7 && w.lossPct() < 13, "about 10 % lost: " + w.lossPct());
            assertEquals(0, w.misrouted);
        }
    }

    @Test
    void packetsOfAnotherFlowAreMisrouted() throws Exception {
        try (LoopbackForwarder relay = new LoopbackForwarder(3, b -> false, true);
             TrafficEngine engine = new TrafficEngine(relay.all(), 0, RtpPacket.DEFAULT_SIZE, true)) {
            engine.latch(3, 10, 200);
            Window w = engine.measure(1000, ONE_SECOND / 2);
            assertTrue(w.sent > 0);
            assertEquals(0, w.received, "nothing arrives where it should");
            assertEquals(w.sent, w.misrouted);
            assertEquals(100.0, w.lossPct());
        }
    }

    @Test
    void aDeadRelayMeansLossAndIcmpErrorsNotACrash() throws Exception {
        LoopbackForwarder relay = new LoopbackForwarder(2);
        List<RelayClient.Channel> channels = relay.all();
        relay.close();                                        // its ports are closed now
        try (TrafficEngine engine = new TrafficEngine(channels, 0, RtpPacket.DEFAULT_SIZE, true)) {
            assertEquals(0, engine.latch(1, 10, 50));
            Window w = engine.measure(1000, ONE_SECOND / 4);
            assertEquals(0, w.received);
            assertEquals(100.0, w.lossPct());
            assertTrue(w.icmpErrors > 0, "port unreachable reported");
        }
    }

    @Test
    void sleepingGeneratorKeepsTheRateToo() throws Exception {
        try (LoopbackForwarder relay = new LoopbackForwarder(2);
             TrafficEngine engine = new TrafficEngine(relay.all(), 0, 100, false)) {
            engine.latch(3, 10, 200);
            Window w = engine.measure(400, ONE_SECOND / 2);
            assertTrue(w.sent >= 150 && w.sent <= 210, "about 200 packets in half a second at 400 pps: " + w.sent);
            assertEquals(w.sent, w.received);
        }
    }

    @Test
    void clientPortsFollowTheBase() throws Exception {
        int base = freeRange(4);
        try (LoopbackForwarder relay = new LoopbackForwarder(2);
             TrafficEngine engine = new TrafficEngine(relay.all(), base, RtpPacket.DEFAULT_SIZE, true)) {
            List<Integer> ports = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                for (var a : engine.clientAddresses(f)) {
                    ports.add(((InetSocketAddress) a).getPort());
                }
            }
            assertEquals(List.of(base, base + 1, base + 2, base + 3), ports);
        }
    }

    @Test
    void aBusyClientPortIsNamed() throws Exception {
        int base = freeRange(2);
        try (LoopbackForwarder relay = new LoopbackForwarder(1);
             DatagramChannel squatter = DatagramChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1))) {
            BindException e = assertThrows(BindException.class,
                    () -> new TrafficEngine(relay.all(), base, RtpPacket.DEFAULT_SIZE, true));
            assertTrue(e.getMessage().contains(Integer.toString(base + 1)), e.getMessage());
        }
    }

    @Test
    void rtcpPortsAreLatchedByQuietSocketsOfTheirOwn() throws Exception {
        try (LoopbackForwarder rtp = new LoopbackForwarder(2); LoopbackForwarder rtcp = new LoopbackForwarder(2)) {
            List<RelayClient.Channel> channels = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RelayClient.Channel p = rtp.channel(i);
                RelayClient.Channel c = rtcp.channel(i);
                channels.add(new RelayClient.Channel(p.id(), p.a(), p.b(), c.a(), c.b()));
            }
            try (TrafficEngine engine = new TrafficEngine(channels, 0, RtpPacket.DEFAULT_SIZE, true)) {
                engine.latch(3, 10, 200);
                assertEquals(4, engine.latchRtcp(3, 10, 200));
                assertEquals(4, rtcp.ssrcs.size(), "one SSRC per RTCP socket: " + rtcp.ssrcs);
                assertTrue(rtcp.forwarded.get() >= 8, "both sides latched, latch packets crossed: " + rtcp.forwarded);
                assertThrows(IllegalStateException.class, () -> engine.latchRtcp(1, 10, 10));
                Window w = engine.measure(1000, ONE_SECOND / 4);
                assertEquals(w.sent, w.received);
                assertEquals(0, rtcp.ssrcs.stream().filter(rtp.ssrcs::contains).count(), "RTCP sockets are not flows");
            }
        }
    }

    @Test
    void withoutRtcpPortsNothingIsLatched() throws Exception {
        try (LoopbackForwarder relay = new LoopbackForwarder(2);
             TrafficEngine engine = new TrafficEngine(relay.all(), 0, RtpPacket.DEFAULT_SIZE, true)) {
            assertEquals(0, engine.latchRtcp(3, 10, 200));
        }
    }

    @Test
    void noChannelsNoEngine() {
        assertThrows(IllegalArgumentException.class, () -> new TrafficEngine(List.of(), 0, 172, true));
    }

    /** A base port in the client range with {@code n} free ports after it (checked by binding). */
    private static int freeRange(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 40_000 + 2 * (int) (Math.random() * 9_000);
            List<DatagramChannel> probes = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    probes.add(DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + i)));
                }
                return base;
            } catch (BindException e) {
                // taken: try another
            } finally {
                for (DatagramChannel p : probes) {
                    p.close();
                }
            }
        }
        throw new IOException("no free client port range found");
    }
}
