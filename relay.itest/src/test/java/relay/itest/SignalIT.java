package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.signal.api.SignalListener;
import relay.testing.Exposition;
import relay.testing.Poll;
import relay.testing.UdpPeer;
import relay.testing.WsClient;

/**
 * relay.signal in Felix, on relay.http's own Felix HTTP Jetty listener with Jetty's WebSocket
 * support: real WebSocket clients (the JDK's) drive the protocol, the REST resources answer over
 * real HTTP, a relay call's channel forwards real datagrams.
 */
public class SignalIT extends ContainerTest {

    private static final int HTTP_PORT = 27960;
    static final String WS = "ws://127.0.0.1:" + HTTP_PORT + "/signal";
    static final String REST = "http://127.0.0.1:" + HTTP_PORT + "/signal";
    static final String SECRET = "an-hs256-secret-of-the-signal-tests-0123456789";

    private RelayService relay;
    private final List<SignalPeer> open = new CopyOnWriteArrayList<>();

    @Override
    protected Option[] extraOptions() {
        return new Option[] {http(), redisClient(), gogo()};
    }

    static Map<String, Object> signalConfig(Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put("jwt.secret", SECRET);
        c.put("hello.seconds", "1");
        c.put("heartbeat.seconds", "1");
        c.put("resume.seconds", "3");
        c.put("resume.buffer", "5");
        c.put("max.messages.per.second", "20");
        c.put("max.burst", "20");
        c.put("max.frame.bytes", "4096");
        c.put("max.pools.per.endpoint", "3");
        c.put("max.connections.per.user", "3");
        c.putAll(overrides);
        return c;
    }

    @Before
    public void startNode() {
        relay = TestRelay.start(context);
        TestRelay.destroyAll(relay);
        Configs configs = new Configs(context);
        configs.put("relay.signal", signalConfig(Map.of()));
        RelayBundles bundles = new RelayBundles(context);
        if (!bundles.active(RelayBundles.HTTP)) {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            bundles.start(RelayBundles.HTTP);
        }
        bundles.start(RelayBundles.SIGNAL);
        Poll.until("the signalling REST API to answer on port " + HTTP_PORT, () -> {
            try {
                return HttpCall.send("GET", REST + "/pools", null).status() == 200;
            } catch (java.io.UncheckedIOException e) {
                return false;
            }
        });
    }

    @After
    public void closePeers() {
        open.forEach(SignalPeer::close);
        TestRelay.destroyAll(relay);
    }

    static String token(String user, String pools, String description) {
        String body = "{\"user\":\"" + user + "\",\"pools\":" + pools + ",\"ttl\":600"
                + (description == null ? "" : ",\"description\":" + description) + "}";
        HttpCall.Response r = HttpCall.send("POST", REST + "/tokens", body);
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().get("token").getAsString();
    }

    private SignalPeer peer(String user, String pools, String description) throws Exception {
        SignalPeer p = SignalPeer.hello(WS, token(user, pools, description));
        open.add(p);
        return p;
    }

    private SignalPeer raw() throws Exception {
        SignalPeer p = SignalPeer.connect(WS);
        open.add(p);
        return p;
    }

    @Test
    public void helloJoinPresenceStatusAndLeave() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"room1\"]", "{\"name\":\"Alice\",\"role\":\"host\"}");
        assertEquals("alice@example.com", alice.welcome.get("user").getAsString());
        assertEquals(1, alice.welcome.get("heartbeat").getAsInt());
        assertFalse(alice.welcome.get("resume").getAsString().isEmpty());

        JsonObject joined = alice.ok("{\"type\":\"join\",\"pool\":\"room1\"}");
        assertEquals(0, joined.getAsJsonArray("peers").size());
        assertEquals("Alice", joined.getAsJsonObject("description").get("name").getAsString());

        SignalPeer bob = peer("bob@example.com", "[\"*\"]", null);
        JsonArray peers = bob.ok("{\"type\":\"join\",\"pool\":\"room1\"}").getAsJsonArray("peers");
        assertEquals(1, peers.size());
        JsonObject a = peers.get(0).getAsJsonObject();
        assertEquals(alice.endpoint(), a.get("endpoint").getAsString());
        assertEquals("alice@example.com", a.get("user").getAsString());
        assertEquals("host", a.getAsJsonObject("description").get("role").getAsString());

        JsonObject pj = alice.awaitType("peer-joined");
        assertEquals("room1", pj.get("pool").getAsString());
        assertEquals(bob.endpoint(), pj.get("endpoint").getAsString());
        assertEquals("bob@example.com", pj.get("user").getAsString());
        assertTrue(pj.get("description").isJsonNull());

        bob.ok("{\"type\":\"status\",\"data\":{\"presence\":\"away\"}}");
        JsonObject ps = alice.awaitType("peer-status");
        assertEquals(bob.endpoint(), ps.get("endpoint").getAsString());
        assertEquals("away", ps.getAsJsonObject("data").get("presence").getAsString());

        bob.ok("{\"type\":\"leave\",\"pool\":\"room1\"}");
        JsonObject pl = alice.awaitType("peer-left");
        assertEquals(bob.endpoint(), pl.get("endpoint").getAsString());
        bob.fails("not_member", "{\"type\":\"leave\",\"pool\":\"room1\"}");
    }

    @Test
    public void messagesToAnEndpointAUserAndAPoolWithReceipts() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"room2\"]", null);
        SignalPeer bob1 = peer("bob@example.com", "[\"room2\"]", null);
        SignalPeer bob2 = peer("bob@example.com", "[\"room2\"]", null);
        SignalPeer carol = peer("carol@example.com", "[\"other\"]", null);
        for (SignalPeer p : List.of(alice, bob1, bob2)) {
            p.ok("{\"type\":\"join\",\"pool\":\"room2\"}");
        }
        carol.ok("{\"type\":\"join\",\"pool\":\"other\"}");

        JsonObject ack = alice.ok("{\"type\":\"message\",\"to\":\"" + bob1.endpoint() + "\",\"body\":\"hi bob1\"}");
        assertEquals(1, ack.get("recipients").getAsInt());
        String mid = ack.get("mid").getAsString();
        JsonObject got = bob1.awaitType("message");
        assertEquals("hi bob1", got.get("body").getAsString());
        assertEquals(alice.endpoint(), got.get("from").getAsString());
        assertEquals("alice@example.com", got.get("user").getAsString());
        assertEquals(mid, got.get("mid").getAsString());

        bob1.ok("{\"type\":\"delivered\",\"mid\":\"" + mid + "\"}");
        JsonObject receipt = alice.awaitType("delivered");
        assertEquals(mid, receipt.get("mid").getAsString());
        assertEquals(bob1.endpoint(), receipt.get("endpoint").getAsString());
        bob1.fails("unknown_mid", "{\"type\":\"delivered\",\"mid\":\"" + mid + "\"}");
        bob2.fails("unknown_mid", "{\"type\":\"delivered\",\"mid\":\"" + mid + "\"}");

        JsonObject toUser = alice.ok("{\"type\":\"data\",\"user\":\"bob@example.com\",\"data\":{\"k\":1}}");
        assertEquals(2, toUser.get("recipients").getAsInt());
        assertEquals(1, bob1.awaitType("data").getAsJsonObject("data").get("k").getAsInt());
        assertEquals(1, bob2.awaitType("data").getAsJsonObject("data").get("k").getAsInt());

        JsonObject group = bob2.ok("{\"type\":\"message\",\"pool\":\"room2\",\"body\":{\"text\":\"all\"}}");
        assertEquals(2, group.get("recipients").getAsInt());
        for (SignalPeer p : List.of(alice, bob1)) {
            JsonObject m = p.awaitType("message");
            assertEquals("room2", m.get("pool").getAsString());
            assertEquals("all", m.getAsJsonObject("body").get("text").getAsString());
        }
        assertNull("not echoed to the sender", bob2.ws.next(300));

        alice.fails("unknown_endpoint", "{\"type\":\"message\",\"to\":\"" + carol.endpoint() + "\",\"body\":1}");
        alice.fails("unknown_user", "{\"type\":\"message\",\"user\":\"carol@example.com\",\"body\":1}");
        alice.fails("not_member", "{\"type\":\"message\",\"pool\":\"other\",\"body\":1}");
        alice.fails("invalid_frame", "{\"type\":\"message\",\"to\":\"x\",\"pool\":\"room2\",\"body\":1}");

        alice.ok("{\"type\":\"signal\",\"to\":\"" + bob2.endpoint() + "\",\"data\":{\"sdp\":\"v=0\\r\\n\"}}");
        JsonObject sig = bob2.awaitType("signal");
        assertEquals("v=0\r\n", sig.getAsJsonObject("data").get("sdp").getAsString());
        assertEquals(alice.endpoint(), sig.get("from").getAsString());
    }

    @Test
    public void badInputGetsItsAnswerAndTheNodeKeepsServing() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"room3\"]", null);
        SignalPeer bob = peer("bob@example.com", "[\"room3\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"room3\"}");
        bob.ok("{\"type\":\"join\",\"pool\":\"room3\"}");

        alice.ws.send("this is not json");
        JsonObject e = alice.awaitType("error");
        assertEquals("invalid_json", e.get("error").getAsString());
        assertTrue(e.get("id").isJsonNull());
        alice.ws.send("{\"type\":\"ping\"}");
        assertEquals("missing_id", alice.awaitType("error").get("error").getAsString());
        alice.fails("unknown_type", "{\"type\":\"teleport\"}");
        alice.ws.sendBinary(new byte[] {1, 2, 3});
        assertEquals("binary_frame", alice.awaitType("error").get("error").getAsString());
        alice.fails("forbidden", "{\"type\":\"status\",\"data\":{},\"description\":{\"role\":\"admin\"}}");
        alice.fails("forbidden", "{\"type\":\"join\",\"pool\":\"not-mine\"}");
        alice.fails("invalid_frame", "{\"type\":\"join\",\"pool\":\"bad pool name\"}");
        alice.ok("{\"type\":\"ping\"}");

        // oversize: closed with 1009, the others keep going
        alice.ws.send("{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(5000) + "\"}");
        WsClient.Closed closed = alice.ws.closed(5000);
        assertNotNull(closed);
        assertEquals(1009, closed.code());
        bob.ok("{\"type\":\"ping\"}");
    }

    @Test
    public void noHelloBadTokensAndForeignFramesAreClosedWith4401() throws Exception {
        SignalPeer silent = raw();
        WsClient.Closed c = silent.ws.closed(5000);
        assertNotNull("closed for want of a hello", c);
        assertEquals(4401, c.code());

        SignalPeer early = raw();
        early.ws.send("{\"type\":\"join\",\"id\":\"1\",\"pool\":\"room1\"}");
        assertEquals(4401, early.ws.closed(5000).code());

        SignalPeer forged = raw();
        String good = token("mallory@example.com", "[\"*\"]", null);
        String[] parts = good.split("\\.");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"admin@example.com\",\"exp\":99999999999,\"pools\":[\"*\"]}".getBytes());
        forged.ws.send("{\"type\":\"hello\",\"token\":\"" + parts[0] + "." + payload + "." + parts[2] + "\"}");
        WsClient.Closed f = forged.ws.closed(5000);
        assertEquals(4401, f.code());
        assertEquals("bad signature", f.reason());

        SignalPeer unknown = raw();
        unknown.ws.send("{\"type\":\"hello\",\"resume\":\"no-such-resume-token\"}");
        assertEquals(4401, unknown.ws.closed(5000).code());

        peer("alice@example.com", "[]", null).ok("{\"type\":\"ping\"}");
    }

    @Test
    public void aFloodIsRateLimitedThenClosedWith4429() throws Exception {
        SignalPeer bob = peer("bob@example.com", "[]", null);
        SignalPeer flooder = peer("mallory@example.com", "[]", null);
        for (int i = 0; i < 200 && flooder.ws.closed(0) == null; i++) {
            try {
                flooder.ws.send("{\"type\":\"ping\",\"id\":\"f" + i + "\"}");
            } catch (Exception e) {
                break; // closed under our feet
            }
        }
        JsonObject limited = flooder.awaitType("error");
        assertEquals("rate_limited", limited.get("error").getAsString());
        assertTrue(limited.get("retryAfter").getAsDouble() > 0);
        WsClient.Closed c = flooder.ws.closed(5000);
        assertNotNull(c);
        assertEquals(4429, c.code());
        bob.ok("{\"type\":\"ping\"}");
    }

    @Test
    public void connectionsPerUserAndPoolsPerEndpointAreCapped() throws Exception {
        String t = token("dave@example.com", "[\"*\"]", null);
        for (int i = 0; i < 3; i++) {
            open.add(SignalPeer.hello(WS, t));
        }
        SignalPeer fourth = raw();
        fourth.ws.send("{\"type\":\"hello\",\"token\":\"" + t + "\"}");
        assertEquals(4429, fourth.ws.closed(5000).code());

        SignalPeer first = open.get(0);
        for (String pool : List.of("p1", "p2", "p3")) {
            first.ok("{\"type\":\"join\",\"pool\":\"" + pool + "\"}");
        }
        first.fails("too_many_pools", "{\"type\":\"join\",\"pool\":\"p4\"}");
    }

    @Test
    public void aRelayCallAllocatesAChannelThatForwardsDatagramsAndEndsWithTheSession() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"call\"]", null);
        SignalPeer bob = peer("bob@example.com", "[\"call\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"call\"}");
        bob.ok("{\"type\":\"join\",\"pool\":\"call\"}");

        JsonObject a = alice.ok("{\"type\":\"relay\",\"to\":\"" + bob.endpoint() + "\"}");
        String channelId = a.get("channel").getAsString();
        JsonObject b = bob.awaitType("relay");
        assertEquals(channelId, b.get("channel").getAsString());
        assertEquals(alice.endpoint(), b.get("from").getAsString());
        RelayChannel channel = relay.channel(channelId).orElseThrow();
        assertEquals("alice@example.com", channel.owner().toString());
        assertEquals(channel.portA(), a.get("port").getAsInt());
        assertEquals(channel.portB(), b.get("port").getAsInt());
        assertEquals(channel.sideA().rtcpPort(), a.get("rtcpPort").getAsInt());
        assertEquals("127.0.0.1", channel.sideA().expectedPeer().address().getHostAddress());

        try (UdpPeer ua = new UdpPeer(); UdpPeer ub = new UdpPeer()) {
            ua.send(a.get("port").getAsInt(), "from alice");
            Poll.until("side A to latch", () -> relay.channel(channelId).map(c -> c.sideA().rtpPeer() != null).orElse(false));
            ub.send(b.get("port").getAsInt(), "from bob");
            DatagramPacket atA = ua.receivePacket(5000);
            assertEquals("from bob", UdpPeer.text(atA));
            ua.send(a.get("port").getAsInt(), "to bob");
            assertEquals("to bob", UdpPeer.text(ub.receivePacket(5000)));
        }

        bob.ok("{\"type\":\"leave\",\"pool\":\"call\"}");
        assertEquals(channelId, alice.awaitType("relay-ended").get("channel").getAsString());
        Poll.until("the channel to be destroyed", () -> relay.channel(channelId).isEmpty());
        alice.fails("unknown_endpoint", "{\"type\":\"relay\",\"to\":\"" + bob.endpoint() + "\"}");
    }

    @Test
    public void aRelayCallWithRtcpMuxHasRtpPortsOnly() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"mux\"]", null);
        SignalPeer bob = peer("bob@example.com", "[\"mux\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"mux\"}");
        bob.ok("{\"type\":\"join\",\"pool\":\"mux\"}");
        JsonObject a = alice.ok("{\"type\":\"relay\",\"to\":\"" + bob.endpoint() + "\",\"rtcpMux\":true}");
        String channelId = a.get("channel").getAsString();
        assertTrue("no RTCP port for side A: " + a, a.get("rtcpPort").isJsonNull());
        assertTrue("nor for side B", bob.awaitType("relay").get("rtcpPort").isJsonNull());
        assertFalse(relay.channel(channelId).orElseThrow().rtcp());
        alice.ok("{\"type\":\"relay-end\",\"channel\":\"" + channelId + "\"}");
        Poll.until("the channel to be destroyed", () -> relay.channel(channelId).isEmpty());
    }

    @Test
    public void eitherEndpointHangsUpARelayCallAndItsChannelIsDestroyedAtOnce() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"hang\"]", null);
        SignalPeer bob = peer("bob@example.com", "[\"hang\"]", null);
        SignalPeer carol = peer("carol@example.com", "[\"hang\"]", null);
        for (SignalPeer p : List.of(alice, bob, carol)) {
            p.ok("{\"type\":\"join\",\"pool\":\"hang\"}");
        }
        String first = alice.ok("{\"type\":\"relay\",\"to\":\"" + bob.endpoint() + "\"}").get("channel").getAsString();
        bob.awaitType("relay");
        carol.fails("unknown_channel", "{\"type\":\"relay-end\",\"channel\":\"" + first + "\"}");
        bob.fails("invalid_frame", "{\"type\":\"relay-end\"}");
        assertTrue("neither a stranger nor a bad frame ends a call", relay.channel(first).isPresent());

        bob.ok("{\"type\":\"relay-end\",\"channel\":\"" + first + "\"}"); // the callee hangs up
        assertEquals(first, alice.awaitType("relay-ended").get("channel").getAsString());
        Poll.until("the channel to be destroyed", () -> relay.channel(first).isEmpty());
        bob.fails("unknown_channel", "{\"type\":\"relay-end\",\"channel\":\"" + first + "\"}");

        String second = alice.ok("{\"type\":\"relay\",\"to\":\"" + bob.endpoint() + "\"}").get("channel").getAsString();
        alice.ok("{\"type\":\"relay-end\",\"channel\":\"" + second + "\"}"); // the caller hangs up
        assertEquals(second, bob.awaitType("relay-ended").get("channel").getAsString());
        Poll.until("the second channel to be destroyed", () -> relay.channel(second).isEmpty());
    }

    @Test
    public void aDroppedEndpointResumesWithItsIdPoolsAndBufferedFrames() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"r\"]", null);
        SignalPeer bob = peer("bob@example.com", "[\"r\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"r\"}");
        bob.ok("{\"type\":\"join\",\"pool\":\"r\"}");
        alice.awaitType("peer-joined");
        String resume = bob.welcome.get("resume").getAsString();
        bob.ws.abort();
        Thread.sleep(300);
        alice.ok("{\"type\":\"message\",\"to\":\"" + bob.endpoint() + "\",\"body\":\"one\"}");
        alice.ok("{\"type\":\"message\",\"pool\":\"r\",\"body\":\"two\"}");

        SignalPeer back = raw();
        back.ws.send("{\"type\":\"hello\",\"resume\":\"" + resume + "\"}");
        JsonObject w = back.awaitType("welcome");
        assertTrue(w.get("resumed").getAsBoolean());
        assertEquals(bob.endpoint(), w.get("endpoint").getAsString());
        assertEquals("r", w.getAsJsonArray("pools").get(0).getAsString());
        assertNotEquals(resume, w.get("resume").getAsString());
        assertEquals("one", back.awaitType("message").get("body").getAsString());
        assertEquals("two", back.awaitType("message").get("body").getAsString());
        for (String f : alice.ws.drain()) {
            assertFalse("no leave or join for a resume: " + f, f.contains("peer-left") || f.contains("peer-joined"));
        }

        // past the window: peers see peer-left
        back.ws.abort();
        JsonObject left = alice.awaitType("peer-left");
        assertEquals(bob.endpoint(), left.get("endpoint").getAsString());
        SignalPeer late = raw();
        late.ws.send("{\"type\":\"hello\",\"resume\":\"" + w.get("resume").getAsString() + "\"}");
        assertEquals(4401, late.ws.closed(5000).code());
    }

    @Test
    public void operatorsListAndKickInTheShellAndScrapeTheMetrics() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"ops\"]", "{\"name\":\"Alice\"}");
        SignalPeer bob = peer("bob@example.com", "[\"ops\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"ops\"}");
        bob.ok("{\"type\":\"join\",\"pool\":\"ops\"}");
        SignalPeer refused = raw();
        refused.ws.send("{\"type\":\"hello\",\"token\":\"not.a.token\"}");
        assertEquals(4401, refused.ws.closed(5000).code());

        try (GogoSession shell = new GogoSession(context)) {
            String pools = shell.run("signal:pools").out();
            assertTrue(pools, pools.matches("(?s).*ops\\s+2.*"));
            String pool = shell.run("signal:pool ops").out();
            assertTrue(pool, pool.contains(alice.endpoint()) && pool.contains(bob.endpoint()) && pool.contains("Alice"));
            String sessions = shell.run("signal:sessions bob@example.com").out();
            assertTrue(sessions, sessions.contains(bob.endpoint()) && !sessions.contains(alice.endpoint()));
            assertTrue(shell.run("signal:pool nowhere").out().contains("no pool 'nowhere'"));

            HttpCall.Response metrics = HttpCall.send("GET", "http://127.0.0.1:" + HTTP_PORT + "/metrics", null);
            assertEquals(metrics.body(), 200, metrics.status());
            Exposition e = Exposition.parse(metrics.body(), Exposition.Format.PROMETHEUS);
            assertTrue(e.value("signal_connections") >= 2);
            assertTrue(e.value("signal_frames_total", "type", "join") >= 2);
            assertTrue(e.value("signal_refused_total", "reason", "token") >= 1);
            assertEquals(0, e.value("relay_channels_live"), 0);

            assertTrue(shell.run("signal:kick " + bob.endpoint()).out().contains("kicked"));
            assertEquals(4403, bob.ws.closed(5000).code());
            assertTrue(shell.run("signal:kick " + bob.endpoint()).out().contains("no endpoint"));
        }
    }

    @Test
    public void aClientThatStopsAnsweringPingsIsDroppedAndItsPeersSeeItLeave() throws Exception {
        SignalPeer alice = peer("alice@example.com", "[\"hb\"]", null);
        alice.ok("{\"type\":\"join\",\"pool\":\"hb\"}");
        try (RawWebSocket hung = new RawWebSocket(HTTP_PORT, "/signal")) {
            hung.sendText("{\"type\":\"hello\",\"token\":\"" + token("bob@example.com", "[\"hb\"]", null) + "\"}");
            hung.sendText("{\"type\":\"join\",\"id\":\"j\",\"pool\":\"hb\"}");
            String bob = alice.awaitType("peer-joined").get("endpoint").getAsString();
            // it never reads: no pong; 2 missed (heartbeat 1 s), then the resume window (3 s) passes
            JsonObject left = alice.awaitType("peer-left");
            assertEquals(bob, left.get("endpoint").getAsString());
        }
        alice.ok("{\"type\":\"ping\"}");
        HttpCall.Response metrics = HttpCall.send("GET", "http://127.0.0.1:" + HTTP_PORT + "/metrics", null);
        Exposition e = Exposition.parse(metrics.body(), Exposition.Format.PROMETHEUS);
        assertTrue("dropped by the heartbeat, not by an idle timeout", e.value("signal_refused_total", "reason", "heartbeat") >= 1);
    }

    @Test
    public void restDescriptionsPoolsKickAndListenerEvents() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<SignalListener> reg = context.registerService(SignalListener.class, new SignalListener() {
            @Override
            public void connected(String endpoint, String user, String address) {
                events.add("connected " + user);
            }

            @Override
            public void joined(String endpoint, String user, String pool) {
                events.add("joined " + user + " " + pool);
            }

            @Override
            public void left(String endpoint, String user, String pool) {
                events.add("left " + user + " " + pool);
            }

            @Override
            public void disconnected(String endpoint, String user, String reason) {
                events.add("disconnected " + user + " " + reason);
            }
        }, null);
        try {
            SignalPeer alice = peer("alice@example.com", "[\"desk\"]", null);
            SignalPeer bob = peer("bob@example.com", "[\"desk\"]", null);
            alice.ok("{\"type\":\"join\",\"pool\":\"desk\"}");
            bob.ok("{\"type\":\"join\",\"pool\":\"desk\"}");

            HttpCall.Response put = HttpCall.send("PUT", REST + "/pools/desk/users/bob@example.com/description",
                    "{\"role\":\"agent\"}");
            assertEquals(put.body(), 204, put.status());
            JsonObject pd = alice.awaitType("peer-description");
            assertEquals(bob.endpoint(), pd.get("endpoint").getAsString());
            assertEquals("agent", pd.getAsJsonObject("description").get("role").getAsString());

            HttpCall.Response pools = HttpCall.send("GET", REST + "/pools", null);
            assertTrue(pools.body(), pools.body().contains("\"pool\":\"desk\",\"endpoints\":2"));
            HttpCall.Response desk = HttpCall.send("GET", REST + "/pools/desk", null);
            assertEquals(200, desk.status());
            assertTrue(desk.body(), desk.body().contains("\"role\":\"agent\""));
            assertEquals(404, HttpCall.send("GET", REST + "/pools/nowhere", null).status());
            assertEquals(415, HttpCall.send("PUT", REST + "/pools/desk/users/bob@example.com/description", null).status());

            assertEquals(204, HttpCall.send("DELETE", REST + "/endpoints/" + bob.endpoint(), null).status());
            assertEquals(4403, bob.ws.closed(5000).code());
            assertEquals(bob.endpoint(), alice.awaitType("peer-left").get("endpoint").getAsString());
            assertEquals(404, HttpCall.send("DELETE", REST + "/endpoints/" + bob.endpoint(), null).status());

            Poll.until("the listener to hear the kick", () -> events.contains("disconnected bob@example.com kicked"));
            assertTrue(events.toString(), events.contains("connected alice@example.com"));
            assertTrue(events.toString(), events.contains("joined bob@example.com desk"));
            assertTrue(events.toString(), events.contains("left bob@example.com desk"));
        } finally {
            reg.unregister();
        }
    }
}
