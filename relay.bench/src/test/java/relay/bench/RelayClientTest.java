package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REST client against a stand-in relay on real HTTP. */
class RelayClientTest {

    @Test
    void allocatesReadsAndDestroys() throws Exception {
        try (MiniRelay relay = new MiniRelay(2)) {
            RelayClient client = new RelayClient(relay.url(), "secret");
            assertTrue(client.ready());
            RelayClient.Channel c = client.allocate("alice@localhost");
            assertEquals("ch0", c.id());
            assertEquals(relay.forwarder.channel(0), c);
            assertTrue(c.a().getAddress().isLoopbackAddress());
            assertEquals("Bearer secret", relay.lastHeaders.get("Authorization"));
            assertEquals("alice@localhost", relay.users.get(0));
            client.destroy(c.id());
            assertEquals("ch0", relay.deleted.get(0));
            assertEquals(1L, client.stats().get("channels"));
        }
    }

    @Test
    void aRefusalCarriesTheStatusAndTheRelaysWords() throws Exception {
        try (MiniRelay relay = new MiniRelay(1)) {
            RelayClient client = new RelayClient(URI.create(relay.url() + "/"), null);
            client.allocate("a@localhost");
            RelayClient.AnswerException full = assertThrows(RelayClient.AnswerException.class,
                    () -> client.allocate("b@localhost"));
            assertEquals(503, full.status);
            assertTrue(full.getMessage().contains("ports exhausted"), full.getMessage());
            RelayClient.AnswerException bad = assertThrows(RelayClient.AnswerException.class,
                    () -> client.allocate("nobody"));
            assertEquals(400, bad.status);
        }
    }

    @Test
    void aChannelOffLoopbackIsRefused() throws Exception {
        try (MiniRelay relay = new MiniRelay(1)) {
            relay.host("192.0.2.7");
            RelayClient client = new RelayClient(relay.url(), null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.allocate("a@localhost"));
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
    }

    @Test
    void rtcpPortsAreReadWhenTheRelayGivesThem() {
        RelayClient.Channel c = RelayClient.channel(Map.of("id", "x", "host", "127.0.0.1", "portA", 20_000L,
                "portB", 20_004L, "rtcpPortA", 20_001L, "rtcpPortB", 20_005L));
        assertEquals(List.of(20_000, 20_004, 20_001, 20_005),
                c.relayAddresses().stream().map(InetSocketAddress::getPort).toList());
        Map<String, Object> noRtcp = new HashMap<>(Map.of("id", "y", "host", "127.0.0.1", "portA", 20_000L,
                "portB", 20_002L));
        noRtcp.put("rtcpPortA", null);
        assertEquals(2, RelayClient.channel(noRtcp).relayAddresses().size());
        assertThrows(IllegalArgumentException.class, () -> RelayClient.channel(Map.of("id", "x", "host", "127.0.0.1",
                "portA", 20_000L, "portB", 20_004L, "rtcpPortA", 70_000L)));
    }

    @Test
    void malformedChannelsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> RelayClient.channel(Map.of("host", "127.0.0.1")));
        assertThrows(IllegalArgumentException.class,
                () -> RelayClient.channel(Map.of("id", "x", "host", "127.0.0.1", "portA", 0L, "portB", 2L)));
        assertThrows(IllegalArgumentException.class,
                () -> RelayClient.channel(Map.of("id", "x", "host", "127.0.0.1", "portA", "20000", "portB", 2L)));
    }

    @Test
    void nothingListeningIsNotReady() {
        RelayClient client = new RelayClient(URI.create("http://127.0.0.1:9/relay"), null);
        assertFalse(client.ready());
    }
}
