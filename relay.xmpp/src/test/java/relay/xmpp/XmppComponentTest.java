package relay.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Poll;

/** The DS component: configuration taken, refused with one line keeping the previous, changed live, stop. */
class XmppComponentTest {

    static XmppConfig config(int port, String secret) {
        return ComponentConfig.of(XmppConfig.class, Map.of("host", "127.0.0.1", "port", String.valueOf(port), "domain",
                "relay.example.com", "secret", secret, "reconnect.seconds", "1"));
    }

    @Test
    void configurationIsTakenLiveAndAnInvalidOneKeepsThePrevious() throws IOException {
        try (CapturedLog log = new CapturedLog("relay.xmpp.component"); ServerSocket first = new ServerSocket(0);
                ServerSocket second = new ServerSocket(0)) {
            XmppComponent c = new XmppComponent(log.logger(), config(first.getLocalPort(), "first-secret-1"));
            try (Socket s = first.accept()) {
                assertEquals("127.0.0.1:" + first.getLocalPort(), c.status().get("server"));
                ComponentLink link = c.link();

                c.modified(ComponentConfig.of(XmppConfig.class, Map.of("port", "5x", "domain", "relay.example.com",
                        "secret", "second-secret-2")));
                List<String> errors = log.messages(Level.SEVERE);
                assertEquals(List.of("relay.xmpp: port = '5x' is not a whole number; the previous configuration stays in force"),
                        errors);
                assertEquals("127.0.0.1:" + first.getLocalPort(), c.status().get("server"));
                assertTrue(c.status().get("refused configuration").contains("'5x'"));
                assertTrue(link == c.link() && link.alive(), "the link in force runs on");
                c.modified(ComponentConfig.of(XmppConfig.class, Map.of("host", "127.0.0.1", "port",
                        String.valueOf(first.getLocalPort()), "domain", "relay.example.com", "secret", "first-secret-1",
                        "ping.seconds", "-5")));
                assertEquals("relay.xmpp: ping.seconds = '-5' is out of range 0..3600; the previous configuration stays in force",
                        log.messages(Level.SEVERE).get(1));
                assertTrue(link == c.link() && link.alive(), "the link in force runs on");

                c.modified(config(second.getLocalPort(), "second-secret-2"));
                try (Socket t = second.accept()) {
                    assertEquals("127.0.0.1:" + second.getLocalPort(), c.status().get("server"));
                    assertFalse(link.alive(), "the previous link ended");
                    String sent = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    // readAllBytes returned: the previous link closed its socket; what it still wrote ends its stream
                    assertTrue(sent.isEmpty() || sent.endsWith("</stream:stream>"), "the previous link closed its stream: " + sent);
                    ComponentLink now = c.link();
                    c.deactivate();
                    assertFalse(now.alive(), "stop leaves no thread");
                    Poll.until("the socket closed", () -> {
                        try {
                            return t.getInputStream().readAllBytes() != null;
                        } catch (IOException e) {
                            return true;
                        }
                    });
                }
            }
            String all = String.join("\n", log.messages(Level.SEVERE)) + String.join("\n", log.messages(Level.INFO))
                    + String.join("\n", log.messages(Level.WARNING));
            assertFalse(all.contains("first-secret") || all.contains("second-secret"), all);
        }
    }

    @Test
    void anInvalidFirstConfigurationLeavesTheComponentOff() {
        try (CapturedLog log = new CapturedLog("relay.xmpp.component.off")) {
            XmppComponent c = new XmppComponent(log.logger(), ComponentConfig.of(XmppConfig.class, Map.of("secret", "x")));
            assertEquals("off", c.status().get("state"));
            assertEquals(List.of("relay.xmpp: domain is not set (the component's JID, e.g. relay.example.com);"
                    + " the component stays off until it is configured"), log.messages(Level.SEVERE));
            assertTrue(c.results().values().stream().allMatch(v -> v == 0L));
            assertEquals(JingleNodes.RESULTS, List.copyOf(c.results().keySet()));
            // every family written from the start, the link losses by each cause (the snapshot sorts them)
            Map<String, String> families = new java.util.TreeMap<>();
            for (var m : new XmppMetrics(c).collect()) {
                StringBuilder points = new StringBuilder();
                m.getDataPoints().forEach(d -> points.append(d.getLabels()).append(' '));
                families.put(m.getMetadata().getName(), points.toString().trim());
            }
            assertEquals("{cause=\"closed\"} {cause=\"error\"} {cause=\"silent\"}", families.get("relay_xmpp_link_lost"),
                    families.toString());
            assertEquals(LinkLosses.CAUSES, List.copyOf(c.linkLosses().keySet()));
            assertTrue(families.get("relay_xmpp_requests").contains("{result=\"ping\"}"), families.toString());
            c.deactivate();
        }
    }
}
