package relay.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.testing.ComponentConfig;

class XmppSettingsTest {

    static XmppSettings from(Map<String, Object> more) {
        Map<String, Object> p = new HashMap<>(Map.of("domain", "relay.example.com", "secret", "hunter2hunter2"));
        p.putAll(more);
        return XmppSettings.from(ComponentConfig.of(XmppConfig.class, p));
    }

    static String refused(Map<String, Object> more) {
        return assertThrows(IllegalArgumentException.class, () -> from(more)).getMessage();
    }

    @Test
    void defaultsAndNumbersWithSpaces() {
        XmppSettings s = from(Map.of("port", " 5348 ", "reconnect.seconds", "7"));
        assertEquals("127.0.0.1", s.host());
        assertEquals(5348, s.port());
        assertEquals(7, s.reconnectSeconds());
        assertEquals(5347, from(Map.of()).port());
        assertEquals("relay.example.com", from(Map.of("domain", "Relay.Example.COM")).domain());
        assertEquals(30, s.pingSeconds());
        assertEquals(10, s.pingTimeoutSeconds());
        XmppSettings off = from(Map.of("ping.seconds", "0", "ping.timeout.seconds", " 3 "));
        assertEquals(0, off.pingSeconds());
        assertEquals(3, off.pingTimeoutSeconds());
    }

    @Test
    void theServerDomainIsTheComponentDomainLessItsFirstLabel() {
        assertEquals("example.com", from(Map.of()).serverDomain());
        assertEquals("xmpp.example.org", from(Map.of("domain", "jn.xmpp.example.org")).serverDomain());
        // no parent domain: the ping goes through the server back to the component itself
        assertEquals("localhost", from(Map.of("domain", "localhost")).serverDomain());
    }

    @Test
    void invalidValuesAreRefusedNamingKeyAndValue() {
        assertEquals("relay.xmpp: port = '2.5' is not a whole number", refused(Map.of("port", "2.5")));
        assertEquals("relay.xmpp: port = '70000' is out of range 1..65535", refused(Map.of("port", "70000")));
        assertEquals("relay.xmpp: reconnect.seconds = '0' is out of range 1..3600", refused(Map.of("reconnect.seconds", "0")));
        assertEquals("relay.xmpp: ping.seconds = '-1' is out of range 0..3600", refused(Map.of("ping.seconds", "-1")));
        assertEquals("relay.xmpp: ping.seconds = 'often' is not a whole number", refused(Map.of("ping.seconds", "often")));
        assertEquals("relay.xmpp: ping.timeout.seconds = '0' is out of range 1..3600",
                refused(Map.of("ping.timeout.seconds", "0")));
        assertEquals("relay.xmpp: ping.timeout.seconds = '1.5' is not a whole number",
                refused(Map.of("ping.timeout.seconds", "1.5")));
        assertTrue(refused(Map.of("domain", "")).contains("domain is not set"));
        assertEquals("relay.xmpp: domain = 'a@b.com' is not a domain", refused(Map.of("domain", "a@b.com")));
        assertTrue(refused(Map.of("host", "a b")).contains("host = 'a b'"));
        assertTrue(refused(Map.of("secret", "")).contains("secret is not set"));
    }

    @Test
    void theSecretIsNeverShown() {
        XmppSettings s = from(Map.of());
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertTrue(s.linkDiffers(from(Map.of("secret", "other-secret"))));
        assertFalse(s.linkDiffers(from(Map.of("reconnect.seconds", "9"))));
        assertFalse(s.linkDiffers(from(Map.of("ping.seconds", "9"))));
        assertTrue(s.toString().contains("ping after 30 s of quiet, dead 10 s later"), s.toString());
        assertTrue(from(Map.of("ping.seconds", "0")).toString().contains("ping off"));
    }
}
