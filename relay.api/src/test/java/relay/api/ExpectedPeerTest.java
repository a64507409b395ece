package relay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpectedPeerTest {

    @Test
    void readsAddressesWithAndWithoutPortsAndWritesThemBack() {
        assertEquals("192.0.2.7", ExpectedPeer.parse("192.0.2.7").toString());
        assertEquals("192.0.2.7:4000", ExpectedPeer.parse(" 192.0.2.7:4000 ").toString());
        assertEquals("2001:db8::1", ExpectedPeer.parse("2001:db8::1").toString());
        assertEquals("[2001:db8::1]:4000", ExpectedPeer.parse("[2001:DB8:0:0:0::1]:4000").toString());
        assertEquals(0, ExpectedPeer.parse("[::1]").port());
        ExpectedPeer p = ExpectedPeer.parse("192.0.2.7:4000");
        assertEquals(p, ExpectedPeer.parse(p.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "relay.example.com", "192.0.2.7:0", "192.0.2.7:65536", "192.0.2.7:x", "256.1.1.1",
        "1.2.3", "[2001:db8::1", "[192.0.2.7]:40", "[::1]x", "::g", "192.0.2.7:4000:1", "1.2.3.4:", "[::1]:"})
    void refusesWhatIsNotAnAddressLiteral(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpectedPeer.parse(text));
        assertTrue(e.getMessage().startsWith("peer"), e.getMessage());
    }

    @Test
    void ipv6IsWrittenInTheFormOfRfc5952() throws Exception {
        java.util.Map<String, String> cases = java.util.Map.of(
                "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", // the first of two equal runs
                "2001:0db8:0:0:0:0:2:1", "2001:db8::2:1",
                "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", // one zero group stays
                "0:0:0:0:0:0:0:1", "::1",
                "0:0:0:0:0:0:0:0", "::",
                "fe80:0:0:0:0:0:0:0", "fe80::",
                "2001:DB8::AB", "2001:db8::ab");
        for (var c : cases.entrySet()) {
            assertEquals(c.getValue(), Addresses.host(java.net.InetAddress.getByName(c.getKey())), c.getKey());
        }
        assertEquals("[::1]:4000", Addresses.endpoint(new InetSocketAddress("::1", 4000)));
        assertEquals("192.0.2.7:4000", Addresses.endpoint(new InetSocketAddress("192.0.2.7", 4000)));
    }

    @Test
    void matchesTheAddressAndThePortWhenOneIsGiven() {
        InetSocketAddress source = new InetSocketAddress("192.0.2.7", 4000);
        assertTrue(ExpectedPeer.parse("192.0.2.7").matches(source));
        assertTrue(ExpectedPeer.parse("192.0.2.7:4000").matches(source));
        assertFalse(ExpectedPeer.parse("192.0.2.7:4001").matches(source));
        assertFalse(ExpectedPeer.parse("192.0.2.8").matches(source));
    }

    @Test
    void aRequestCarriesItsPeersThroughACopy() {
        ChannelRequest r = ChannelRequest.of("alice@example.com")
                .withExpectedPeers(ExpectedPeer.parse("192.0.2.7"), null).withOrigin("rest");
        assertEquals("192.0.2.7", r.expectedPeer(Side.A).orElseThrow().toString());
        assertTrue(r.expectedPeer(Side.B).isEmpty());
        assertEquals("rest", r.origin());
    }
}
