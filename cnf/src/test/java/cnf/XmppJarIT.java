package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

import relay.testing.Prosody;
import relay.testing.UdpPeer;

/**
 * The exported relay.jar as an XMPP server's Jingle Nodes component: a real Prosody routes
 * relay.example.com to the assembly's relay.xmpp (configured by etc/relay.xmpp.cfg, as an operator
 * would), a real client (Smack) logs in as alice@example.com, discovers the relay, gets a channel
 * and sends datagrams through it; /metrics counts the request and {@code xmpp:status} shows the
 * link. Relay ports 26900-26999, HTTP 18660.
 */
class XmppJarIT {

    static final String DOMAIN = "relay.example.com";

    @TempDir
    Path dir;

    /** {@code <channel xmlns='http://jabber.org/protocol/jinglenodes#channel' protocol='udp'/>}. */
    static final class ChannelIq extends IQ {
        ChannelIq() throws Exception {
            super("channel", "http://jabber.org/protocol/jinglenodes#channel");
            setType(IQ.Type.get);
            setTo(JidCreate.from(DOMAIN));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.attribute("protocol", "udp");
            xml.setEmptyElement();
            return xml;
        }
    }

    @Test
    void aClientOfARealServerGetsAChannelFromTheAssembly() throws Exception {
        String secret = "jar-it-secret-" + ProcessHandle.current().pid();
        try (Prosody prosody = new Prosody(dir.resolve("prosody"), List.of("example.com"), DOMAIN, secret)) {
            prosody.register("alice", "example.com", "pw-alice");
            prosody.start();
            try (RelayProcess relay = RelayProcess.prepare("xmpp", 18660, "relay.core", "port.min", "26900",
                    "relay.core", "port.max", "26999", "relay.xmpp", "host", "127.0.0.1", "relay.xmpp", "port",
                    String.valueOf(prosody.componentPort), "relay.xmpp", "domain", DOMAIN, "relay.xmpp", "secret", secret,
                    "relay.xmpp", "reconnect.seconds", "1").start(true)) {
                XMPPTCPConnection alice = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                        .setXmppDomain("example.com").setHost("127.0.0.1").setPort(prosody.c2sPort)
                        .setUsernameAndPassword("alice", "pw-alice").setResource("it")
                        .setSecurityMode(SecurityMode.disabled).build());
                alice.setReplyTimeout(10_000);
                alice.connect().login();
                ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(alice);
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(30), () -> {
                    try {
                        return disco.discoverInfo(JidCreate.domainBareFrom(DOMAIN))
                                .containsFeature("http://jabber.org/protocol/jinglenodes");
                    } catch (Exception e) {
                        return false; // the component is not connected yet: the server answers for it
                    }
                }), "the assembly's component answers disco#info; its console:\n" + relay.console());

                IQ answer = alice.createStanzaCollectorAndSend(new ChannelIq()).nextResultOrThrow();
                String xml = answer instanceof UnparsedIQ u ? u.getContent().toString() : answer.toXML().toString();
                Map<String, String> ch = new HashMap<>();
                Matcher m = Pattern.compile("([a-z]+)=['\"]([^'\"]*)['\"]").matcher(xml);
                while (m.find()) {
                    ch.put(m.group(1), m.group(2));
                }
                int local = Integer.parseInt(ch.get("localport"));
                int remote = Integer.parseInt(ch.get("remoteport"));
                assertTrue(local >= 26900 && local <= 26999, xml);
                assertEquals(200, relay.get("/relay/channels/" + ch.get("id")).statusCode(), "the channel is the relay's");
                try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
                    a.send(local, "from-a");
                    b.send(remote, "from-b");
                    assertEquals("from-b", new String(a.receive(5000), StandardCharsets.UTF_8));
                    a.send(local, "again-a");
                    assertEquals("again-a", new String(b.receive(5000), StandardCharsets.UTF_8));
                }
                alice.disconnect();

                String metrics = relay.get("/metrics").body();
                assertTrue(metrics.contains("relay_xmpp_requests_total{result=\"allocated\"} 1.0"), metrics);
                assertTrue(metrics.contains("relay_xmpp_requests_total{result=\"forbidden\"} 0.0"), metrics);
                assertTrue(metrics.contains("relay_xmpp_connected 1.0"), metrics);

                relay.shell("xmpp:status");
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(10),
                        () -> relay.console().matches("(?s).*state\\s+connected.*allocated\\s+1.*")), relay.console());
                assertTrue(!relay.console().contains(secret) && !relay.logFile().contains(secret), "the secret is never logged");
            }
        }
    }
}
