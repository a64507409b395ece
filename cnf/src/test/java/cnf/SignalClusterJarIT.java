package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.TestRedis;
import relay.testing.UdpPeer;
import relay.testing.WsClient;

/**
 * Two exported relay.jar processes joined over the machine's Redis ({@code REDIS_URL}, else
 * redis://127.0.0.1:6379/0) on a channel of this test's own, with the same jwt.secret: an endpoint
 * of each shares a pool, a message and a relay call cross the nodes (the caller's node allocates,
 * real datagrams go through), a dropped endpoint resumes on the other node with its id, pools and
 * kept frames while its peers see nothing, and a stopped node's endpoint leaves the other's pool. Relay ports 26700-26799 and 26800-26899, HTTP 18650 and 18651. Fails,
 * saying how to start one, without Redis.
 */
class SignalClusterJarIT {

    private static final String SECRET = "cluster-jar-secret-cluster-jar-secret-012345";
    private static final AtomicInteger IDS = new AtomicInteger();
    private static RelayProcess one;
    private static RelayProcess two;

    @BeforeAll
    static void start() throws Exception {
        TestRedis.requireReachable();
        URI redis = TestRedis.URI_;
        String channel = "relay.signal.it." + UUID.randomUUID();
        one = node("cluster-one", 18650, "26700", "26799", redis, channel);
        two = node("cluster-two", 18651, "26800", "26899", redis, channel);
    }

    private static RelayProcess node(String name, int port, String min, String max, URI redis, String channel) throws Exception {
        RelayProcess p = RelayProcess.prepare(name, port, "relay.core", "port.min", min, "relay.core", "port.max", max,
                "relay.signal", "jwt.secret", SECRET, "relay.signal", "redis.uri", redis.toString(),
                "relay.signal", "redis.channel", channel, "relay.signal", "heartbeat.seconds", "1").start(false);
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(20), () -> {
            try {
                return p.get("/signal/pools").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }), name + " serves /signal");
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        for (RelayProcess p : new RelayProcess[] {one, two}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private static WsClient hello(RelayProcess node, String user) throws Exception {
        HttpResponse<String> r = node.post("/signal/tokens", "{\"user\":\"" + user + "\",\"pools\":[\"x\"]}");
        assertEquals(200, r.statusCode(), r.body());
        WsClient ws = WsClient.connect("ws://127.0.0.1:" + node.httpPort + "/signal");
        ws.send("{\"type\":\"hello\",\"token\":\"" + json(r.body()).get("token").getAsString() + "\"}");
        return ws;
    }

    private static JsonObject await(WsClient ws, String type) throws InterruptedException {
        return json(ws.await(type, t -> json(t).get("type").getAsString().equals(type)));
    }

    private static JsonObject ack(WsClient ws, String frame) throws Exception {
        String id = "k" + IDS.incrementAndGet();
        JsonObject f = json(frame);
        f.addProperty("id", id);
        ws.send(f.toString());
        JsonObject a = json(ws.await("answer " + id, t -> json(t).has("id") && !json(t).get("id").isJsonNull()
                && json(t).get("id").getAsString().equals(id)));
        assertEquals("ack", a.get("type").getAsString(), a.toString());
        return a;
    }

    @Test
    void endpointsOfTwoProcessesTalkAndCallAcrossRedisAndAKilledNodesEndpointLeaves() throws Exception {
        try (WsClient alice = hello(one, "alice@example.com"); WsClient bob = hello(two, "bob@example.com")) {
            String aliceId = await(alice, "welcome").get("endpoint").getAsString();
            JsonObject bobWelcome = await(bob, "welcome");
            String bobId = bobWelcome.get("endpoint").getAsString();
            ack(alice, "{\"type\":\"join\",\"pool\":\"x\"}");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> {
                try {
                    return two.get("/signal/pools/x").body().contains(aliceId);
                } catch (IOException e) {
                    return false;
                }
            }), "node two learns alice's membership");
            assertEquals(aliceId, ack(bob, "{\"type\":\"join\",\"pool\":\"x\"}").getAsJsonArray("peers").get(0)
                    .getAsJsonObject().get("endpoint").getAsString());
            assertEquals(bobId, await(alice, "peer-joined").get("endpoint").getAsString());

            ack(bob, "{\"type\":\"message\",\"to\":\"" + aliceId + "\",\"body\":\"from node two\"}");
            assertEquals("from node two", await(alice, "message").get("body").getAsString());

            // the caller's node allocates on its relay; the callee, on the other node, gets side B
            JsonObject a = ack(alice, "{\"type\":\"relay\",\"to\":\"" + bobId + "\"}");
            JsonObject b = await(bob, "relay");
            assertEquals(a.get("channel").getAsString(), b.get("channel").getAsString());
            try (UdpPeer ua = new UdpPeer(); UdpPeer ub = new UdpPeer()) {
                String got = null;
                for (int i = 0; i < 20 && got == null; i++) {
                    ua.send(a.get("port").getAsInt(), "latch a");
                    ub.send(b.get("port").getAsInt(), "from b");
                    try {
                        got = UdpPeer.text(ua.receivePacket(250));
                    } catch (java.net.SocketTimeoutException e) {
                        // not latched yet
                    }
                }
                assertEquals("from b", got);
            }

            // bob's connection drops; he comes back through node one, and alice's peers see nothing
            bob.abort();
            Thread.sleep(300);
            ack(alice, "{\"type\":\"message\",\"to\":\"" + bobId + "\",\"body\":\"while away\"}");
            try (WsClient back = WsClient.connect("ws://127.0.0.1:" + one.httpPort + "/signal");
                    WsClient carol = hello(two, "carol@example.com")) {
                back.send("{\"type\":\"hello\",\"resume\":\"" + bobWelcome.get("resume").getAsString() + "\"}");
                JsonObject w = await(back, "welcome");
                assertTrue(w.get("resumed").getAsBoolean());
                assertEquals(bobId, w.get("endpoint").getAsString());
                assertEquals("while away", await(back, "message").get("body").getAsString());

                String carolId = await(carol, "welcome").get("endpoint").getAsString();
                ack(carol, "{\"type\":\"join\",\"pool\":\"x\"}");
                // the first presence event alice sees after bob's drop and resume is carol's arrival
                JsonObject first = json(alice.await("a presence event", t -> json(t).get("type").getAsString().startsWith("peer-")));
                assertEquals("peer-joined", first.get("type").getAsString(), first.toString());
                assertEquals(carolId, first.get("endpoint").getAsString());

                two.terminate(); // node two stops: carol's session ends there, node one hears her leave
                assertEquals(carolId, await(alice, "peer-left").get("endpoint").getAsString());
                // bob, now on node one, and his call are untouched
                ack(back, "{\"type\":\"message\",\"to\":\"" + aliceId + "\",\"body\":\"still here\"}");
                assertEquals("still here", await(alice, "message").get("body").getAsString());
                assertTrue(one.get("/relay/channels?user=alice@example.com").body().contains(a.get("channel").getAsString()));
            }
        }
    }
}
