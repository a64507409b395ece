package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.testing.UdpPeer;

/**
 * The I/O engines ({@code io.engine}): {@code nio} runs everywhere; {@code ffm} runs on Java 22 and later when the
 * build holds it. The whole suite runs once per engine (pom.xml, profile ffm), which {@code relay.test.engine} names.
 */
class IoEngineTest {

    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    void autoPicksTheEngineOfThisRun() {
        String expected = System.getProperty("relay.test.engine", "nio");
        assertEquals(expected, IoEngines.resolve("auto"));
        assertEquals(expected, Relays.parse(config()).ioEngine(), "auto is the default");
        if (expected.equals("nio")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Relays.parse(config("io.engine", "ffm")));
            assertTrue(e.getMessage().startsWith("invalid io.engine=ffm: io.engine=ffm "), e.getMessage());
        }
    }

    @Test
    void anUnknownEngineIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Relays.parse(config("io.engine", "epoll")));
        assertEquals("invalid io.engine=epoll: must be auto, nio or ffm", e.getMessage());
    }

    /** Each engine this JVM runs forwards both ways on RTP and RTCP, and gives its ports back for new channels. */
    @Test
    void everyEngineHereForwardsAndReleasesItsPorts() throws Exception {
        List<String> engines = new ArrayList<>(List.of("nio"));
        if (IoEngines.ffmUnavailable() == null) {
            engines.add("ffm");
        }
        core = Relays.start(config("io.engine", "nio"));
        for (String engine : engines) {
            core.modified(Relays.typed(config("io.engine", engine))); // no channel lives: new loops at once
            for (int round = 0; round < 3; round++) { // 4 sockets a channel, 8 ports: every round reuses them
                RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
                try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer(); UdpPeer a2 = new UdpPeer(); UdpPeer b2 = new UdpPeer()) {
                    ForwardingTest.latch(a, ch.portA(), b, ch.portB());
                    ForwardingTest.latch(a2, ch.sideA().rtcpPort(), b2, ch.sideB().rtcpPort());
                    byte[] payload = ForwardingTest.random(1200 + round);
                    a.send(ch.portA(), payload);
                    assertArrayEquals(payload, b.receive(2000), engine + ": A to B");
                    b2.send(ch.sideB().rtcpPort(), payload);
                    assertArrayEquals(payload, a2.receive(2000), engine + ": RTCP B to A");
                    a.send(ch.portA(), new byte[0]);
                    assertArrayEquals(new byte[0], b.receive(2000), engine + ": an empty datagram");
                }
                assertTrue(core.destroy(ch.id()).isPresent());
            }
        }
    }

    private static Map<String, Object> config(Object... keyValues) {
        Object[] all = new Object[keyValues.length + 4];
        all[0] = "io.threads";
        all[1] = 1;
        all[2] = "latch.connect";
        all[3] = "false"; // an empty datagram is forwarded from an unconnected socket only
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        return Relays.config(23960, 23967, all);
    }
}
