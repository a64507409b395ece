package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import redis.clients.jedis.Jedis;

import relay.signal.HubTest.FakeLink;
import relay.testing.ComponentConfig;
import relay.testing.TestRedis;

/**
 * Two nodes (two hubs, each with its own Redis connections) on the machine's Redis
 * ({@code REDIS_URL}, else redis://127.0.0.1:6379), on a pub/sub channel of this test's own:
 * endpoints of different nodes share pools, presence, status, descriptions, messages with
 * receipts, signals and kicks; a node that goes silent loses its endpoints within 3 heartbeats.
 * Fails, saying how to start one, when no Redis answers.
 */
class HubClusterTest {

    private static final String SECRET = "cluster-test-secret-cluster-test-secret-0123";
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<Hub> hubs = new ArrayList<>();
    private final List<RedisBus> buses = new ArrayList<>();
    private final List<Events> events = new ArrayList<>();
    private URI redis;
    private String channel;

    @BeforeEach
    void redis() {
        TestRedis.requireReachable();
        redis = TestRedis.URI_;
        channel = "relay.signal.test." + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        hubs.forEach(Hub::stop);
        buses.forEach(RedisBus::stop);
        events.forEach(Events::stop);
    }

    private Hub node() {
        return node(redis);
    }

    private Hub node(URI redis) {
        Map<String, Object> p = new HashMap<>();
        p.put("jwt.secret", SECRET);
        p.put("heartbeat.seconds", "1");
        p.put("hello.seconds", "3600");
        p.put("resume.seconds", "3600");
        p.put("redis.uri", redis.toString());
        p.put("redis.channel", channel);
        Events e = new Events(m -> { });
        Hub hub = new Hub(SignalSettings.from(ComponentConfig.of(SignalConfig.class, p)), e, m -> { });
        RedisBus bus = new RedisBus(redis, channel, hub::remote, hub::subscribed, m -> { }, m -> { });
        hub.useBus(bus);
        bus.start();
        hubs.add(hub);
        buses.add(bus);
        events.add(e);
        return hub;
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

    private static String hello(Hub hub, FakeLink l, String user) throws Exception {
        l.pongs = hub;
        hub.opened(l);
        hub.frame(l, json("{\"type\":\"hello\",\"token\":\"" + token(user, "*") + "\"}"));
        return l.next("welcome").get("endpoint").getAsString();
    }

    private static JsonObject request(Hub hub, FakeLink l, String frame) throws InterruptedException {
        String id = "c" + IDS.incrementAndGet();
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

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never: " + what);
    }

    private static int members(Hub hub, String pool) {
        Hub.PoolInfo p = hub.pool(pool);
        return p == null ? 0 : p.members().size();
    }

    @Test
    void endpointsOfTwoNodesShareAPoolItsPresenceMessagesReceiptsSignalsAndDescriptions() throws Exception {
        Hub a = node();
        Hub b = node();
        FakeLink alice = new FakeLink("192.0.2.1");
        FakeLink bob = new FakeLink("192.0.2.2");
        String aliceId = hello(a, alice, "alice@example.com");
        String bobId = hello(b, bob, "bob@example.com");
        request(a, alice, "{\"type\":\"join\",\"pool\":\"r\"}");
        until("node b to see alice in pool r", () -> members(b, "r") == 1);
        JsonArray peers = request(b, bob, "{\"type\":\"join\",\"pool\":\"r\"}").getAsJsonArray("peers");
        assertEquals(aliceId, peers.get(0).getAsJsonObject().get("endpoint").getAsString());
        JsonObject joined = alice.next("peer-joined");
        assertEquals(bobId, joined.get("endpoint").getAsString());
        assertEquals("bob@example.com", joined.get("user").getAsString());

        JsonObject ack = request(b, bob, "{\"type\":\"message\",\"pool\":\"r\",\"body\":\"across\"}");
        assertEquals(1, ack.get("recipients").getAsInt());
        JsonObject m = alice.next("message");
        assertEquals("across", m.get("body").getAsString());
        assertEquals(bobId, m.get("from").getAsString());
        assertEquals("r", m.get("pool").getAsString());
        request(a, alice, "{\"type\":\"delivered\",\"mid\":\"" + m.get("mid").getAsString() + "\"}");
        JsonObject receipt = bob.next("delivered");
        assertEquals(aliceId, receipt.get("endpoint").getAsString());

        request(a, alice, "{\"type\":\"data\",\"user\":\"bob@example.com\",\"data\":{\"n\":7}}");
        assertEquals(7, bob.next("data").getAsJsonObject("data").get("n").getAsInt());
        request(a, alice, "{\"type\":\"signal\",\"to\":\"" + bobId + "\",\"data\":{\"candidate\":\"c1\"}}");
        assertEquals("c1", bob.next("signal").getAsJsonObject("data").get("candidate").getAsString());

        request(b, bob, "{\"type\":\"status\",\"data\":{\"mic\":false}}");
        assertEquals(bobId, alice.next("peer-status").get("endpoint").getAsString());

        JsonObject d = new JsonObject();
        d.addProperty("role", "agent");
        a.describe("r", "bob@example.com", d);
        assertEquals("agent", alice.next("peer-description").getAsJsonObject("description").get("role").getAsString());
        assertEquals("agent", bob.next("peer-description").getAsJsonObject("description").get("role").getAsString());

        request(b, bob, "{\"type\":\"leave\",\"pool\":\"r\"}");
        assertEquals(bobId, alice.next("peer-left").get("endpoint").getAsString());
        until("node a to forget bob in r", () -> members(a, "r") == 1);
    }

    @Test
    void aDroppedEndpointResumesOnAnotherNodeWithItsIdPoolsAndFramesAndItsPeersSeeNothing() throws Exception {
        Hub a = node();
        Hub b = node();
        FakeLink alice = new FakeLink("192.0.2.1");
        FakeLink bob = new FakeLink("192.0.2.2");
        hello(a, alice, "alice@example.com");
        bob.pongs = a;
        a.opened(bob);
        a.frame(bob, json("{\"type\":\"hello\",\"token\":\"" + token("bob@example.com", "*") + "\"}"));
        JsonObject welcome = bob.next("welcome");
        String bobId = welcome.get("endpoint").getAsString();
        request(a, alice, "{\"type\":\"join\",\"pool\":\"m\"}");
        request(a, bob, "{\"type\":\"join\",\"pool\":\"m\"}");
        alice.next("peer-joined");
        until("node b to see both in pool m", () -> members(b, "m") == 2);

        a.closed(bob, 1006); // bob's network drops; he comes back through node b
        request(a, alice, "{\"type\":\"message\",\"to\":\"" + bobId + "\",\"body\":\"while away\"}");
        FakeLink back = new FakeLink("192.0.2.22");
        back.pongs = b;
        b.opened(back);
        b.frame(back, json("{\"type\":\"hello\",\"id\":\"h\",\"resume\":\"" + welcome.get("resume").getAsString() + "\"}"));
        JsonObject w = back.next("welcome");
        assertTrue(w.get("resumed").getAsBoolean());
        assertEquals(bobId, w.get("endpoint").getAsString());
        assertEquals("m", w.getAsJsonArray("pools").get(0).getAsString());
        assertEquals("while away", back.next("message").get("body").getAsString());

        // from now on bob is node b's: a message from alice on node a crosses over to him
        until("node a to know bob is on node b", () -> a.pool("m") != null && a.pool("m").members().size() == 2);
        request(a, alice, "{\"type\":\"message\",\"to\":\"" + bobId + "\",\"body\":\"after\"}");
        assertEquals("after", back.next("message").get("body").getAsString());
        request(b, back, "{\"type\":\"message\",\"pool\":\"m\",\"body\":\"hi from b\"}");
        assertEquals("hi from b", alice.next("message").get("body").getAsString());
        for (JsonObject f : new ArrayList<>(alice.sent)) {
            assertTrue(!f.get("type").getAsString().startsWith("peer-"), "alice saw " + f);
        }
        // and his session ends on node b: alice hears him leave
        b.closed(back, 1000);
        assertEquals(bobId, alice.next("peer-left").get("endpoint").getAsString());
    }

    @Test
    void aResumeTokenNoNodeKnowsIsClosedWith4401() throws Exception {
        Hub a = node();
        node();
        FakeLink l = new FakeLink("192.0.2.9");
        a.opened(l);
        a.frame(l, json("{\"type\":\"hello\",\"resume\":\"nobody-has-this\"}"));
        assertEquals(Close.UNAUTHORIZED, l.closed());
    }

    @Test
    void aKickOnOneNodeEndsAnEndpointOfTheOther() throws Exception {
        Hub a = node();
        Hub b = node();
        FakeLink alice = new FakeLink("192.0.2.1");
        FakeLink bob = new FakeLink("192.0.2.2");
        hello(a, alice, "alice@example.com");
        String bobId = hello(b, bob, "bob@example.com");
        request(a, alice, "{\"type\":\"join\",\"pool\":\"k\"}");
        request(b, bob, "{\"type\":\"join\",\"pool\":\"k\"}");
        alice.next("peer-joined");
        assertTrue(a.kick(bobId));
        assertEquals(Close.KICKED, bob.closed());
        assertEquals(bobId, alice.next("peer-left").get("endpoint").getAsString());
    }

    @Test
    void aNodeThatGoesSilentLosesItsEndpointsWithinThreeHeartbeats() throws Exception {
        Hub a = node();
        Hub b = node();
        FakeLink alice = new FakeLink("192.0.2.1");
        FakeLink bob = new FakeLink("192.0.2.2");
        hello(a, alice, "alice@example.com");
        String bobId = hello(b, bob, "bob@example.com");
        request(a, alice, "{\"type\":\"join\",\"pool\":\"d\"}");
        request(b, bob, "{\"type\":\"join\",\"pool\":\"d\"}");
        alice.next("peer-joined");
        buses.get(1).stop(); // node b's link to the others dies; its hub says nothing more
        assertEquals(bobId, alice.next("peer-left").get("endpoint").getAsString());
        assertEquals(1, members(a, "d"));
    }

    @Test
    void aNodeThatStartsLaterLearnsThePoolsAlreadyThere() throws Exception {
        Hub a = node();
        FakeLink alice = new FakeLink("192.0.2.1");
        String aliceId = hello(a, alice, "alice@example.com");
        request(a, alice, "{\"type\":\"join\",\"pool\":\"late\"}");
        Hub b = node();
        until("the later node to learn pool late", () -> members(b, "late") == 1);
        FakeLink bob = new FakeLink("192.0.2.2");
        hello(b, bob, "bob@example.com");
        JsonArray peers = request(b, bob, "{\"type\":\"join\",\"pool\":\"late\"}").getAsJsonArray("peers");
        assertEquals(aliceId, peers.get(0).getAsJsonObject().get("endpoint").getAsString());
    }

    @Test
    void nodesFindEachOtherAgainWhenRedisGoesAndComesBack() throws Exception {
        try (TestRedis.Private own = new TestRedis.Private()) {
            Hub a = node(own.uri());
            Hub b = node(own.uri());
            FakeLink alice = new FakeLink("192.0.2.1");
            FakeLink bob = new FakeLink("192.0.2.2");
            String aliceId = hello(a, alice, "alice@example.com");
            String bobId = hello(b, bob, "bob@example.com");
            request(a, alice, "{\"type\":\"join\",\"pool\":\"back\"}");
            until("node b to see alice in pool back", () -> members(b, "back") == 1);

            own.stop(); // Redis dies and comes back empty: both nodes resubscribe and exchange their state again
            Thread.sleep(500);
            own.start();
            try (Jedis direct = new Jedis(own.uri(), 2000)) {
                until("both nodes to subscribe again", () -> direct.pubsubNumSub(channel).get(channel) == 2L);
            }
            until("node b to know alice after Redis came back", () -> members(b, "back") == 1);
            JsonArray peers = request(b, bob, "{\"type\":\"join\",\"pool\":\"back\"}").getAsJsonArray("peers");
            assertEquals(aliceId, peers.get(0).getAsJsonObject().get("endpoint").getAsString());
            assertEquals(bobId, alice.next("peer-joined").get("endpoint").getAsString());
            request(b, bob, "{\"type\":\"message\",\"pool\":\"back\",\"body\":\"after the outage\"}");
            assertEquals("after the outage", alice.next("message").get("body").getAsString());
        }
    }

    @Test
    void aStoppedBusLeavesNoThreadAndNoSubscription() throws Exception {
        node();
        try (Jedis direct = new Jedis(redis, 2000)) {
            until("the bus to subscribe", () -> direct.pubsubNumSub(channel).get(channel) == 1L);
            buses.get(0).stop();
            until("the subscription to end", () -> direct.pubsubNumSub(channel).get(channel) == 0L);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(!t.getName().startsWith("relay-signal-redis") || !t.isAlive(), "still running: " + t);
        }
    }
}
