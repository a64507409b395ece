package relay.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

import relay.api.BareJid;
import relay.api.RelayChannel;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.policy.quota.QuotaConfig;
import relay.policy.quota.QuotaPolicy;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Poll;
import relay.testing.Prosody;
import relay.testing.UdpPeer;

/**
 * The component against a real Prosody, driven by a real XMPP client (Smack): the relay core and
 * its whitelist and quota policies run in this JVM as DS wires them; Prosody routes the domain
 * {@code relay.example.com} to the component over XEP-0114; alice of example.com discovers the
 * relay, gets a channel and sends UDP through it; bob of other.org (off the whitelist) is
 * forbidden; alice's fifth channel with a quota of 4 is a resource constraint; dave's channels go
 * when he goes unavailable; Prosody restarted, the component reconnects and alice's channel keeps
 * forwarding. The component pings Prosody after every second of quiet (XEP-0199): Prosody answers,
 * and the link stays.
 */
class ProsodyJingleNodesTest {

    static final String DOMAIN = "relay.example.com";
    static final String SECRET = "component-secret-42";

    @TempDir
    static Path dir;
    static Prosody prosody;
    static RelayCore core;
    static CapturedLog log;
    static XmppComponent component;

    @BeforeAll
    static void start() throws Exception {
        prosody = new Prosody(dir.resolve("prosody"), List.of("example.com", "other.org"), DOMAIN, SECRET);
        prosody.register("alice", "example.com", "pw-alice");
        prosody.register("dave", "example.com", "pw-dave");
        prosody.register("bob", "other.org", "pw-bob");
        prosody.start();
        int portMin = 30000 + (int) (ProcessHandle.current().pid() % 200) * 100;
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1", "public.address",
                "127.0.0.1", "port.min", portMin, "port.max", portMin + 99, "io.threads", 1, "scan.guard.ports", 0)));
        QuotaPolicy quota = new QuotaPolicy();
        quota.activate(ComponentConfig.of(QuotaConfig.class, Map.of("max.channels.per.user", "4")));
        core.bindPolicy(Whitelists.of("example.com"), Map.of("service.id", 1L));
        core.bindPolicy(quota, Map.of("service.id", 2L));
        log = new CapturedLog("relay.xmpp.prosody");
        component = new XmppComponent(log.logger(), ComponentConfig.of(XmppConfig.class, Map.of("host", "127.0.0.1",
                "port", String.valueOf(prosody.componentPort), "domain", DOMAIN, "secret", SECRET, "reconnect.seconds", "1",
                "ping.seconds", "1", "ping.timeout.seconds", "2")));
        component.bindRelay(core);
        Poll.until("the component connected", () -> "connected".equals(component.status().get("state")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (component != null) {
            ComponentLink link = component.link();
            component.deactivate();
            assertFalse(link.alive(), "the link's thread ended");
        }
        if (core != null) {
            core.deactivate();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (log != null) {
            StringBuilder all = new StringBuilder();
            for (java.util.logging.Level l : List.of(java.util.logging.Level.SEVERE, java.util.logging.Level.WARNING,
                    java.util.logging.Level.INFO, java.util.logging.Level.FINE)) {
                log.messages(l).forEach(m -> all.append(m).append('\n'));
            }
            assertTrue(all.toString().contains("connected to 127.0.0.1:" + prosody.componentPort), all.toString());
            assertFalse(all.toString().contains(SECRET), "the secret is never logged");
            log.close();
        }
    }

    static XMPPTCPConnection login(String user, String host, String password) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(host).setHost("127.0.0.1").setPort(prosody.c2sPort)
                .setUsernameAndPassword(user, password).setResource("test")
                .setSecurityMode(SecurityMode.disabled).setSendPresence(false).build());
        c.setReplyTimeout(10_000);
        c.connect().login();
        return c;
    }

    /** {@code <channel xmlns='http://jabber.org/protocol/jinglenodes#channel' protocol='…'/>}. */
    static final class ChannelIq extends IQ {
        private final String protocol;

        ChannelIq(String protocol) throws Exception {
            super("channel", JingleNodes.NS_CHANNEL);
            this.protocol = protocol;
            setType(IQ.Type.get);
            setTo(JidCreate.from(DOMAIN));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.attribute("protocol", protocol);
            xml.setEmptyElement();
            return xml;
        }
    }

    static final class ServicesIq extends IQ {
        ServicesIq() throws Exception {
            this("services", JingleNodes.NS_JN);
        }

        ServicesIq(String name, String namespace) throws Exception {
            super(name, namespace);
            setType(IQ.Type.get);
            setTo(JidCreate.from(DOMAIN));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.setEmptyElement();
            return xml;
        }
    }

    static Map<String, String> attributes(IQ answer) {
        String xml = answer instanceof UnparsedIQ u ? u.getContent().toString() : answer.toXML().toString();
        Map<String, String> m = new HashMap<>();
        Matcher a = Pattern.compile("([a-z]+)=['\"]([^'\"]*)['\"]").matcher(xml);
        while (a.find()) {
            m.put(a.group(1), a.group(2));
        }
        return m;
    }

    static Map<String, String> channel(XMPPTCPConnection c) throws Exception {
        IQ answer = c.createStanzaCollectorAndSend(new ChannelIq("udp")).nextResultOrThrow();
        return attributes(answer);
    }

    static StanzaError denied(XMPPTCPConnection c, String protocol) throws Exception {
        return assertThrows(XMPPErrorException.class,
                () -> c.createStanzaCollectorAndSend(new ChannelIq(protocol)).nextResultOrThrow()).getStanzaError();
    }

    /** Sends through localport and remoteport from two sockets and checks that each reaches the other. */
    static void forwards(Map<String, String> ch, UdpPeer a, UdpPeer b, String tag) throws Exception {
        int local = Integer.parseInt(ch.get("localport"));
        int remote = Integer.parseInt(ch.get("remoteport"));
        a.send(local, "hello-a-" + tag); // latches side A
        b.send(remote, "hello-b-" + tag); // latches side B, forwarded to A
        assertEquals("hello-b-" + tag, new String(a.receive(5000), java.nio.charset.StandardCharsets.UTF_8));
        a.send(local, "media-a-" + tag);
        assertEquals("media-a-" + tag, new String(b.receive(5000), java.nio.charset.StandardCharsets.UTF_8));
    }

    static long answered() {
        String pings = component.status().get("pings");
        return Long.parseLong(pings.substring(pings.indexOf(", ") + 2, pings.indexOf(" answered")));
    }

    @Test
    void prosodyAnswersTheComponentsPingsAndTheLinkStays() {
        Poll.until("the component connected", () -> "connected".equals(component.status().get("state")));
        String connections = component.status().get("connections");
        long before = answered();
        // a ping after each second of quiet: three answered take some 3 s
        Poll.until(() -> "three pongs from Prosody: " + component.status(), () -> answered() >= before + 3);
        assertEquals(connections, component.status().get("connections"), "no reconnection");
        assertEquals("connected", component.status().get("state"));
        assertEquals(0L, component.linkLosses().get("silent"));
        assertFalse(component.status().get("last heard").equals("-"));
    }

    @Test
    void aJingleNodesClientOnARealServer() throws Exception {
        DomainBareJid relay = JidCreate.domainBareFrom(DOMAIN);
        XMPPTCPConnection alice = login("alice", "example.com", "pw-alice");
        ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(alice);
        // the server lists its components; the relay is among the items of example.com
        DiscoverItems items = disco.discoverItems(JidCreate.domainBareFrom("example.com"));
        assertTrue(items.getItems().stream().anyMatch(i -> i.getEntityID().equals(relay)), "example.com lists " + DOMAIN);
        DiscoverInfo info = disco.discoverInfo(relay);
        assertTrue(info.hasIdentity("proxy", "relay"), info.toXML().toString());
        assertTrue(info.containsFeature(JingleNodes.NS_JN));
        assertTrue(info.containsFeature(JingleNodes.NS_CHANNEL));
        assertTrue(disco.discoverItems(relay).getItems().isEmpty());
        Map<String, String> services = attributes(alice.createStanzaCollectorAndSend(new ServicesIq()).nextResultOrThrow());
        assertEquals(DOMAIN, services.get("address"));
        assertEquals("udp", services.get("protocol"));

        // a channel, and media through it
        Map<String, String> ch1 = channel(alice);
        assertEquals("127.0.0.1", ch1.get("host"));
        assertEquals("60", ch1.get("expire"));
        RelayChannel live = core.channel(ch1.get("id")).orElseThrow();
        assertEquals(BareJid.parse("alice@example.com"), live.owner(), "allocated for the sender's bare JID");
        assertEquals(live.sideA().rtpPort(), Integer.parseInt(ch1.get("localport")));
        assertEquals(live.sideB().rtpPort(), Integer.parseInt(ch1.get("remoteport")));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            forwards(ch1, a, b, "1");

            // tcp is not relayed
            StanzaError tcp = denied(alice, "tcp");
            assertEquals(StanzaError.Condition.feature_not_implemented, tcp.getCondition());
            assertEquals(StanzaError.Type.CANCEL, tcp.getType());

            // a quota of 4: three more, then the fifth is a resource constraint
            Map<String, String> ch2 = channel(alice);
            channel(alice);
            channel(alice);
            StanzaError fifth = denied(alice, "udp");
            assertEquals(StanzaError.Condition.resource_constraint, fifth.getCondition());
            assertEquals(StanzaError.Type.WAIT, fifth.getType());
            assertTrue(fifth.getDescriptiveText().contains("quota"), fifth.getDescriptiveText());
            assertEquals(4, core.channels(BareJid.parse("alice@example.com")).size());

            // a domain off the whitelist
            XMPPTCPConnection bob = login("bob", "other.org", "pw-bob");
            StanzaError forbidden = denied(bob, "udp");
            assertEquals(StanzaError.Condition.forbidden, forbidden.getCondition());
            assertEquals(StanzaError.Type.AUTH, forbidden.getType());
            assertTrue(forbidden.getDescriptiveText().contains("whitelist"), forbidden.getDescriptiveText());
            assertTrue(core.channels(BareJid.parse("bob@other.org")).isEmpty());
            bob.disconnect();

            // an unknown IQ to the component
            XMPPErrorException unknown = assertThrows(XMPPErrorException.class,
                    () -> alice.createStanzaCollectorAndSend(new ServicesIq("query", "urn:example:unknown")).nextResultOrThrow());
            assertEquals(StanzaError.Condition.service_unavailable, unknown.getStanzaError().getCondition());

            // dave tells the relay he is there, gets a channel, goes: the server tells the component
            XMPPTCPConnection dave = login("dave", "example.com", "pw-dave");
            dave.sendStanza(dave.getStanzaFactory().buildPresenceStanza().to(relay).ofType(Presence.Type.available).build());
            Map<String, String> daves = channel(dave);
            assertTrue(core.channel(daves.get("id")).isPresent());
            dave.disconnect();
            Poll.until("dave's channel destroyed when he went unavailable", () -> core.channel(daves.get("id")).isEmpty());
            assertTrue(core.channel(ch1.get("id")).isPresent(), "alice's channels stay");

            // the server restarts: the component reconnects, the live channel keeps forwarding
            core.destroy(ch2.get("id"));
            alice.disconnect();
            long before = Long.parseLong(component.status().get("connections"));
            prosody.stop();
            Poll.until("the component saw the server go", () -> !"connected".equals(component.status().get("state")));
            a.send(Integer.parseInt(ch1.get("localport")), "during-restart");
            assertEquals("during-restart", new String(b.receive(5000), java.nio.charset.StandardCharsets.UTF_8));
            prosody.start();
            Poll.until("the component reconnected", () -> "connected".equals(component.status().get("state"))
                    && Long.parseLong(component.status().get("connections")) == before + 1);
            a.send(Integer.parseInt(ch1.get("localport")), "after-restart-a");
            assertEquals("after-restart-a", new String(b.receive(5000), java.nio.charset.StandardCharsets.UTF_8));
            b.send(Integer.parseInt(ch1.get("remoteport")), "after-restart-b");
            assertEquals("after-restart-b", new String(a.receive(5000), java.nio.charset.StandardCharsets.UTF_8));
            XMPPTCPConnection again = login("alice", "example.com", "pw-alice");
            Map<String, String> ch5 = channel(again);
            assertTrue(core.channel(ch5.get("id")).isPresent(), "a new channel after the restart");
            again.disconnect();
        }
        String status = new XmppCommands(component).status();
        assertTrue(status.contains("connected"), status);
        assertTrue(status.matches("(?s).*allocated\\s+6.*"), status);
        assertTrue(status.matches("(?s).*forbidden\\s+1.*"), status);
        assertTrue(status.matches("(?s).*resource_constraint\\s+1.*"), status);
        Files.writeString(dir.resolve("status.txt"), status);
    }
}
