package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.signal.api.SignalListener;
import relay.testing.ComponentConfig;

/**
 * The hub's rules with links that record what the hub sends them: pools, presence, messages,
 * resume and its buffer, the limits on connections, the order of listener events. The hub runs on
 * its own thread as in the node; the tests wait for frames, never for a time.
 */
class HubTest {

    private static final String SECRET = "hub-test-secret-hub-test-secret-0123456789";
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Events dispatcher = new Events(events::add);
    private Hub hub;

    static final class FakeLink implements Link {
        final InetAddress address;
        final BlockingQueue<JsonObject> sent = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();
        /** The hub this link answers pings to, as a live client does; null: it never does. */
        volatile Hub pongs;

        FakeLink(String ip) throws Exception {
            address = InetAddress.getByName(ip);
        }

        @Override
        public InetAddress address() {
            return address;
        }

        @Override
        public void send(String text) {
            sent.add(JsonParser.parseString(text).getAsJsonObject());
        }

        @Override
        public void ping() {
            Hub h = pongs;
            if (h != null) {
                h.pong(this);
            }
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code);
        }

        JsonObject next(String type) throws InterruptedException {
            while (true) {
                JsonObject o = sent.poll(10, TimeUnit.SECONDS);
                assertNotNull(o, "no frame of type " + type);
                if (o.get("type").getAsString().equals(type)) {
                    return o;
                }
            }
        }

        int closed() throws InterruptedException {
            Integer c = closes.poll(5, TimeUnit.SECONDS);
            assertNotNull(c, "not closed");
            return c;
        }
    }

    private Hub start(Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("jwt.secret", SECRET);
        p.put("hello.seconds", "3600");
        p.put("heartbeat.seconds", "3600");
        p.put("resume.seconds", "3600");
        p.putAll(overrides);
        dispatcher.add(new SignalListener() {
            @Override
            public void connected(String endpoint, String user, String address) {
                events.add("connected " + user);
            }

            @Override
            public void resumed(String endpoint, String user, String address) {
                events.add("resumed " + user);
            }

            @Override
            public void disconnected(String endpoint, String user, String reason) {
                events.add("disconnected " + user + " " + reason);
            }

            @Override
            public void joined(String endpoint, String user, String pool) {
                events.add("joined " + user + " " + pool);
            }

            @Override
            public void left(String endpoint, String user, String pool) {
                events.add("left " + user + " " + pool);
            }
        });
        hub = new Hub(SignalSettings.from(ComponentConfig.of(SignalConfig.class, p)), dispatcher, events::add);
        return hub;
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.stop();
        }
        dispatcher.stop();
    }

    private static String token(String user, String... pools) {
        JsonObject c = new JsonObject();
        c.addProperty("sub", user);
        c.addProperty("exp", System.currentTimeMillis() / 1000 + 600);
        JsonArray p = new JsonArray();
        for (String pool : pools) {
            p.add(pool);
        }
        c.add("pools", p);
        return Jwt.sign(SECRET.getBytes(StandardCharsets.UTF_8), c);
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private FakeLink hello(String ip, String user, String... pools) throws Exception {
        FakeLink l = new FakeLink(ip);
        hub.opened(l);
        hub.frame(l, json("{\"type\":\"hello\",\"token\":\"" + token(user, pools) + "\"}"));
        l.next("welcome");
        return l;
    }

    private JsonObject request(FakeLink l, String frame) throws InterruptedException {
        String id = "h" + IDS.incrementAndGet();
        JsonObject f = json(frame);
        f.addProperty("id", id);
        hub.frame(l, f);
        while (true) {
            JsonObject o = l.sent.poll(5, TimeUnit.SECONDS);
            assertNotNull(o, "no answer to " + frame);
            if (o.has("id") && !o.get("id").isJsonNull() && o.get("id").getAsString().equals(id)) {
                return o;
            }
        }
    }

    private static String endpointOf(JsonObject peerFrame) {
        return peerFrame.get("endpoint").getAsString();
    }

    @Test
    void joiningTellsThePoolAndListsItsPeersInOrder() throws Exception {
        start(Map.of());
        FakeLink a = hello("192.0.2.1", "alice@example.com", "r");
        FakeLink b = hello("192.0.2.2", "bob@example.com", "r");
        FakeLink c = hello("192.0.2.3", "carol@example.com", "r");
        assertEquals(0, request(a, "{\"type\":\"join\",\"pool\":\"r\"}").getAsJsonArray("peers").size());
        assertEquals(1, request(b, "{\"type\":\"join\",\"pool\":\"r\"}").getAsJsonArray("peers").size());
        JsonArray peers = request(c, "{\"type\":\"join\",\"pool\":\"r\"}").getAsJsonArray("peers");
        assertEquals(List.of("alice@example.com", "bob@example.com"),
                List.of(peers.get(0).getAsJsonObject().get("user").getAsString(), peers.get(1).getAsJsonObject().get("user").getAsString()));
        assertEquals("bob@example.com", a.next("peer-joined").get("user").getAsString());
        assertEquals("carol@example.com", a.next("peer-joined").get("user").getAsString());
        // joining twice is answered again, and tells nobody
        assertEquals(2, request(c, "{\"type\":\"join\",\"pool\":\"r\"}").getAsJsonArray("peers").size());
        assertEquals("ack", request(a, "{\"type\":\"ping\"}").get("type").getAsString());
        assertTrue(a.sent.isEmpty(), a.sent.toString());
    }

    @Test
    void aCleanCloseLeavesAtOnceADropKeepsTheSessionForItsResume() throws Exception {
        start(Map.of());
        FakeLink a = hello("192.0.2.1", "alice@example.com", "r");
        FakeLink b = new FakeLink("192.0.2.2");
        hub.opened(b);
        hub.frame(b, json("{\"type\":\"hello\",\"token\":\"" + token("bob@example.com", "r") + "\"}"));
        JsonObject welcome = b.next("welcome");
        request(a, "{\"type\":\"join\",\"pool\":\"r\"}");
        request(b, "{\"type\":\"join\",\"pool\":\"r\"}");
        a.next("peer-joined");

        hub.closed(b, 1006);
        request(a, "{\"type\":\"message\",\"pool\":\"r\",\"body\":\"while away\"}");
        assertEquals("ack", request(a, "{\"type\":\"ping\"}").get("type").getAsString());
        assertTrue(a.sent.isEmpty(), "no peer-left for a drop: " + a.sent);

        FakeLink b2 = new FakeLink("192.0.2.22");
        hub.opened(b2);
        hub.frame(b2, json("{\"type\":\"hello\",\"resume\":\"" + welcome.get("resume").getAsString() + "\"}"));
        JsonObject back = b2.next("welcome");
        assertTrue(back.get("resumed").getAsBoolean());
        assertEquals(welcome.get("endpoint"), back.get("endpoint"));
        assertEquals("while away", b2.next("message").get("body").getAsString());

        hub.closed(b2, 1000);
        assertEquals(welcome.get("endpoint").getAsString(), endpointOf(a.next("peer-left")));
        waitFor("disconnected bob@example.com closed");
        assertEquals(List.of("connected alice@example.com", "connected bob@example.com", "joined alice@example.com r",
                "joined bob@example.com r", "resumed bob@example.com", "left bob@example.com r",
                "disconnected bob@example.com closed"), events);
    }

    private void waitFor(String event) throws InterruptedException {
        for (int i = 0; i < 500 && !events.contains(event); i++) {
            Thread.sleep(10);
        }
        assertTrue(events.contains(event), events.toString());
    }

    @Test
    void aFullResumeBufferEndsTheSessionAndItsResumeTokenWithIt() throws Exception {
        start(Map.of("resume.buffer", "2"));
        FakeLink a = hello("192.0.2.1", "alice@example.com", "r");
        FakeLink b = new FakeLink("192.0.2.2");
        hub.opened(b);
        hub.frame(b, json("{\"type\":\"hello\",\"token\":\"" + token("bob@example.com", "r") + "\"}"));
        String resume = b.next("welcome").get("resume").getAsString();
        request(a, "{\"type\":\"join\",\"pool\":\"r\"}");
        request(b, "{\"type\":\"join\",\"pool\":\"r\"}");
        a.next("peer-joined");
        hub.closed(b, 1006);
        for (int i = 0; i < 3; i++) {
            request(a, "{\"type\":\"message\",\"pool\":\"r\",\"body\":" + i + "}");
        }
        a.next("peer-left");
        FakeLink late = new FakeLink("192.0.2.2");
        hub.opened(late);
        hub.frame(late, json("{\"type\":\"hello\",\"resume\":\"" + resume + "\"}"));
        assertEquals(Close.UNAUTHORIZED, late.closed());
        waitFor("disconnected bob@example.com overflow");
        assertEquals(1, hub.stats.refused().get("resume_overflow"));
    }

    @Test
    void connectionsPerAddressAndPerUserAreCapped() throws Exception {
        start(Map.of("max.connections.per.ip", "2", "max.connections.per.user", "1"));
        FakeLink one = new FakeLink("198.51.100.7");
        FakeLink two = new FakeLink("198.51.100.7");
        FakeLink three = new FakeLink("198.51.100.7");
        hub.opened(one);
        hub.opened(two);
        hub.opened(three);
        assertEquals(Close.TOO_MANY, three.closed());
        assertNull(one.closes.poll(100, TimeUnit.MILLISECONDS));
        hub.closed(three, Close.TOO_MANY);
        hub.frame(one, json("{\"type\":\"hello\",\"token\":\"" + token("dave@example.com") + "\"}"));
        one.next("welcome");
        hub.frame(two, json("{\"type\":\"hello\",\"token\":\"" + token("dave@example.com") + "\"}"));
        assertEquals(Close.TOO_MANY, two.closed());
        assertEquals(1, hub.stats.refused().get("connections_per_ip"));
        assertEquals(1, hub.stats.refused().get("connections_per_user"));
        hello("198.51.100.8", "erin@example.com");
    }

    @Test
    void aConnectionWithoutHelloIsClosedWith4401() throws Exception {
        start(Map.of("hello.seconds", "1"));
        FakeLink l = new FakeLink("192.0.2.9");
        hub.opened(l);
        assertEquals(Close.UNAUTHORIZED, l.closed());
        assertEquals(1, hub.stats.refused().get("hello_timeout"));
    }

    @Test
    void framesBeforeHelloAndBadTokensAreClosedWith4401() throws Exception {
        start(Map.of());
        FakeLink early = new FakeLink("192.0.2.9");
        hub.opened(early);
        hub.frame(early, json("{\"type\":\"ping\",\"id\":\"1\"}"));
        assertEquals(Close.UNAUTHORIZED, early.closed());
        FakeLink bad = new FakeLink("192.0.2.9");
        hub.opened(bad);
        hub.frame(bad, json("{\"type\":\"hello\",\"token\":\"x.y.z\"}"));
        assertEquals(Close.UNAUTHORIZED, bad.closed());
        assertTrue(bad.sent.isEmpty());
    }

    @Test
    void withoutARelayACallIsUnavailableAndOthersErrorsKeepTheConnection() throws Exception {
        start(Map.of("max.pools.per.endpoint", "1"));
        FakeLink a = hello("192.0.2.1", "alice@example.com", "*");
        FakeLink b = hello("192.0.2.2", "bob@example.com", "*");
        request(a, "{\"type\":\"join\",\"pool\":\"r\"}");
        JsonObject joined = request(b, "{\"type\":\"join\",\"pool\":\"r\"}");
        assertEquals(1, joined.getAsJsonArray("peers").size());
        String bobId = endpointOf(a.next("peer-joined"));
        assertEquals("unavailable", request(a, "{\"type\":\"relay\",\"to\":\"" + bobId + "\"}").get("error").getAsString());
        assertEquals("invalid_frame", request(a, "{\"type\":\"relay\",\"to\":\"" + bobId + "\",\"rtcpMux\":\"yes\"}")
                .get("error").getAsString(), "rtcpMux is a boolean");
        assertEquals("too_many_pools", request(a, "{\"type\":\"join\",\"pool\":\"s\"}").get("error").getAsString());
        assertEquals("invalid_frame", request(a, "{\"type\":\"status\",\"data\":[1]}").get("error").getAsString());
        assertEquals("invalid_frame", request(a, "{\"type\":\"signal\",\"to\":\"" + bobId + "\"}").get("error").getAsString());
        assertEquals("invalid_frame", request(a, "{\"type\":\"hello\"}").get("error").getAsString());
        assertEquals("forbidden", request(a, "{\"type\":\"description\",\"data\":{}}").get("error").getAsString());
        assertEquals("ack", request(a, "{\"type\":\"ping\"}").get("type").getAsString());
        assertNull(a.closes.poll(50, TimeUnit.MILLISECONDS));
    }
}
