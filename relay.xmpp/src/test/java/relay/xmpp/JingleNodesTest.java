package relay.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.policy.quota.QuotaConfig;
import relay.policy.quota.QuotaPolicy;
import relay.testing.ComponentConfig;
import relay.testing.Poll;

/** The component's answers to stanzas, over the real relay core and its whitelist and quota policies. */
class JingleNodesTest {

    RelayCore core;
    JingleNodes jn;

    @BeforeEach
    void start() {
        int portMin = 40000 + (int) (ProcessHandle.current().pid() % 100) * 100;
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1", "public.address",
                "127.0.0.1", "port.min", portMin, "port.max", portMin + 99, "io.threads", 1, "scan.guard.ports", 0,
                "max.channels", 6)));
        QuotaPolicy quota = new QuotaPolicy();
        quota.activate(ComponentConfig.of(QuotaConfig.class, Map.of("max.channels.per.user", "2")));
        core.bindPolicy(Whitelists.of("example.com"), Map.of("service.id", 1L));
        core.bindPolicy(quota, Map.of("service.id", 2L));
        jn = new JingleNodes("relay.example.com", () -> core, m -> { });
    }

    @AfterEach
    void stop() {
        core.deactivate();
    }

    static Stanza iq(String type, String from, String child, String ns, Map<String, String> attributes) {
        return new Stanza("iq", type, "q1", from, "relay.example.com", child, ns, attributes, 1);
    }

    static Stanza channel(String from, String protocol) {
        return iq("get", from, "channel", JingleNodes.NS_CHANNEL, Map.of("protocol", protocol));
    }

    static Map<String, String> attrs(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + " ([^>]*?)/?>").matcher(xml);
        assertTrue(m.find(), xml);
        Map<String, String> a = new LinkedHashMap<>();
        Matcher kv = Pattern.compile("([a-z:]+)='([^']*)'").matcher(m.group(1));
        while (kv.find()) {
            a.put(kv.group(1), kv.group(2));
        }
        return a;
    }

    static void assertError(String xml, String type, String condition) {
        assertTrue(xml.startsWith("<iq type='error' id='q1' from='relay.example.com' to="), xml);
        assertTrue(xml.contains("<error type='" + type + "'><" + condition + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"), xml);
    }

    @Test
    void discoInfoNamesTheRelayAndItsFeatures() {
        String xml = jn.handle(iq("get", "alice@example.com/a", "query", JingleNodes.NS_DISCO_INFO, Map.of()));
        assertTrue(xml.startsWith("<iq type='result' id='q1' from='relay.example.com' to='alice@example.com/a'>"), xml);
        assertEquals("proxy", attrs(xml, "identity").get("category"));
        assertEquals("relay", attrs(xml, "identity").get("type"));
        assertTrue(xml.contains("<feature var='http://jabber.org/protocol/jinglenodes'/>"), xml);
        assertTrue(xml.contains("<feature var='http://jabber.org/protocol/jinglenodes#channel'/>"), xml);
        String items = jn.handle(iq("get", "alice@example.com/a", "query", JingleNodes.NS_DISCO_ITEMS, Map.of()));
        assertTrue(items.contains("<query xmlns='http://jabber.org/protocol/disco#items'/>"), items);
        assertTrue(xml.contains("<feature var='urn:xmpp:ping'/>"), xml);
    }

    @Test
    void aPingIsAnsweredAndAnAnswerToOneIsNot() {
        assertEquals("<iq type='result' id='q1' from='relay.example.com' to='example.com'></iq>",
                jn.handle(iq("get", "example.com", "ping", JingleNodes.NS_PING, Map.of())));
        assertEquals(1L, jn.results().get("ping"));
        assertNull(jn.handle(new Stanza("iq", "result", "q1", "example.com", "relay.example.com", "", "", Map.of(), 0)));
    }

    @Test
    void servicesListsItselfAsAUdpRelay() {
        String xml = jn.handle(iq("get", "alice@example.com/a", "services", JingleNodes.NS_JN, Map.of()));
        Map<String, String> relay = attrs(xml, "relay");
        assertEquals("relay.example.com", relay.get("address"));
        assertEquals("udp", relay.get("protocol"));
        assertEquals("public", relay.get("policy"));
    }

    @Test
    void aChannelForTheSendersBareJid() {
        String xml = jn.handle(channel("alice@example.com/phone", "udp"));
        Map<String, String> c = attrs(xml, "channel");
        var live = core.channel(c.get("id")).orElseThrow();
        assertEquals(BareJid.parse("alice@example.com"), live.owner());
        assertEquals("127.0.0.1", c.get("host"));
        assertEquals(String.valueOf(live.sideA().rtpPort()), c.get("localport"));
        assertEquals(String.valueOf(live.sideB().rtpPort()), c.get("remoteport"));
        assertEquals("60", c.get("expire"));
        assertEquals("udp", c.get("protocol"));
        assertEquals(1L, jn.results().get("allocated"));
    }

    @Test
    void denialsAreTheErrorsTheXepAndRfc6120Prescribe() {
        assertError(jn.handle(channel("bob@other.org/x", "udp")), "auth", "forbidden");
        assertTrue(jn.handle(channel("bob@other.org/x", "udp")).contains("policy whitelist: "));
        jn.handle(channel("alice@example.com/a", "udp"));
        jn.handle(channel("alice@example.com/a", "udp"));
        String quota = jn.handle(channel("alice@example.com/a", "udp"));
        assertError(quota, "wait", "resource-constraint");
        assertTrue(quota.contains("policy quota: "), quota);
        // capacity: max.channels 6
        for (String u : new String[] {"c@example.com", "c@example.com", "d@example.com", "d@example.com"}) {
            assertTrue(jn.handle(channel(u + "/r", "udp")).contains("type='result'"));
        }
        assertError(jn.handle(channel("e@example.com/r", "udp")), "wait", "resource-constraint");
        core.drain(true);
        assertError(jn.handle(channel("e@example.com/r", "udp")), "cancel", "not-allowed");
        assertError(jn.handle(channel("e@example.com/r", "tcp")), "cancel", "feature-not-implemented");
        assertEquals(2L, jn.results().get("forbidden"));
        assertEquals(2L, jn.results().get("resource_constraint"));
        assertEquals(1L, jn.results().get("not_allowed"));
        assertEquals(1L, jn.results().get("feature_not_implemented"));
    }

    @Test
    void unknownIqsAreServiceUnavailableAndAnswersAreNeverAnswered() {
        assertError(jn.handle(iq("get", "alice@example.com/a", "time", "urn:xmpp:time", Map.of())), "cancel",
                "service-unavailable");
        assertError(jn.handle(iq("set", "alice@example.com/a", "query", "jabber:iq:version", Map.of())), "cancel",
                "service-unavailable");
        assertNull(jn.handle(iq("result", "alice@example.com/a", "", "", Map.of())));
        assertNull(jn.handle(iq("error", "alice@example.com/a", "error", "", Map.of())));
        assertNull(jn.handle(new Stanza("message", "chat", "m1", "alice@example.com/a", "relay.example.com", "body", "", Map.of(), 1)));
        assertError(jn.handle(new Stanza("iq", "get", "q1", "alice@example.com/a", "relay.example.com", "", "", Map.of(), 0)),
                "modify", "bad-request");
        // an attribute value cannot break out of the answer
        String xml = jn.handle(new Stanza("iq", "get", "a'b<c", "alice@example.com/a", "", "x", "urn:x", Map.of(), 1));
        assertTrue(xml.startsWith("<iq type='error' id='a&apos;b&lt;c' from='relay.example.com'"), xml);
    }

    @Test
    void unavailablePresenceDestroysThatRequestersChannelsOnly() {
        String phone = attrs(jn.handle(channel("alice@example.com/phone", "udp")), "channel").get("id");
        String desk = attrs(jn.handle(channel("alice@example.com/desk", "udp")), "channel").get("id");
        assertNull(jn.handle(new Stanza("presence", "", "", "alice@example.com/phone", "relay.example.com", "", "", Map.of(), 0)));
        assertTrue(core.channel(phone).isPresent(), "available presence destroys nothing");
        jn.handle(new Stanza("presence", "unavailable", "", "alice@example.com/phone", "relay.example.com", "", "", Map.of(), 0));
        Poll.until("the phone's channel destroyed", () -> core.channel(phone).isEmpty());
        assertTrue(core.channel(desk).isPresent());
        assertEquals(Map.of("alice@example.com/desk", java.util.Set.of(desk)), jn.tracked());
        jn.handle(new Stanza("presence", "unavailable", "", "alice@example.com", "relay.example.com", "", "", Map.of(), 0));
        Poll.until("the account's channels destroyed", () -> core.channel(desk).isEmpty());
        assertTrue(jn.tracked().isEmpty());
    }

    @Test
    void channelsThatEndedByThemselvesAreForgotten() {
        String x = attrs(jn.handle(channel("x@example.com/r", "udp")), "channel").get("id");
        core.destroy(x);
        assertEquals(Map.of("x@example.com/r", java.util.Set.of(x)), jn.tracked(), "not seen gone yet");
        String y = null;
        for (int i = 1; i < JingleNodes.SWEEP_EVERY; i++) {
            if (y != null) {
                core.destroy(y);
            }
            y = attrs(jn.handle(channel("y@example.com/r", "udp")), "channel").get("id");
        }
        // the sweep ran with the last allocation, which is live: only it is left
        assertEquals(Map.of("y@example.com/r", java.util.Set.of(y)), jn.tracked());
    }
}
