package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogLevel;

import com.google.gson.JsonObject;

import redis.clients.jedis.Jedis;

import relay.testing.Poll;
import relay.testing.TestRedis;
import relay.testing.WsClient;

/**
 * relay.signal as an operator's bundle: a policy's denial reaches the caller, a bad configuration
 * is refused naming it while the node keeps serving, the REST resources follow relay.http's token,
 * an endpoint resumed elsewhere closes its old connection, and a stopped bundle closes its
 * connections (1001) and leaves no thread and no service (nor, on Redis, a subscription).
 */
public class SignalLifecycleIT extends ContainerTest {

    private static final int HTTP_PORT = 27961;
    private static final String WS = "ws://127.0.0.1:" + HTTP_PORT + "/signal";
    private static final String REST = "http://127.0.0.1:" + HTTP_PORT + "/signal";

    @Override
    protected Option[] extraOptions() {
        return new Option[] {http(), redisClient()};
    }

    @Before
    public void startNode() {
        TestRelay.start(context);
        Configs configs = new Configs(context);
        configs.put("relay.signal", SignalIT.signalConfig(Map.of()));
        RelayBundles bundles = new RelayBundles(context);
        if (!bundles.active(RelayBundles.HTTP)) {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            bundles.start(RelayBundles.HTTP);
        }
        bundles.start(RelayBundles.SIGNAL);
        Poll.until("the signalling REST API", () -> {
            try {
                return HttpCall.send("GET", REST + "/pools", null).status() == 200;
            } catch (java.io.UncheckedIOException e) {
                return false;
            }
        });
    }

    private static String token(String user, String pools) {
        HttpCall.Response r = HttpCall.send("POST", REST + "/tokens", "{\"user\":\"" + user + "\",\"pools\":" + pools + "}");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().get("token").getAsString();
    }

    @Test
    public void aPolicyDenialIsAnErrorWithThePolicysNameAndReason() throws Exception {
        Configs configs = new Configs(context);
        RelayBundles bundles = new RelayBundles(context);
        configs.put("relay.policy.whitelist", Map.of("domains", "example.com"));
        bundles.start(RelayBundles.WHITELIST);
        try (SignalPeer mallory = SignalPeer.hello(WS, token("mallory@foreign.test", "[\"x\"]"));
                SignalPeer alice = SignalPeer.hello(WS, token("alice@example.com", "[\"x\"]"))) {
            mallory.ok("{\"type\":\"join\",\"pool\":\"x\"}");
            alice.ok("{\"type\":\"join\",\"pool\":\"x\"}");
            JsonObject denied = mallory.fails("denied", "{\"type\":\"relay\",\"to\":\"" + alice.endpoint() + "\"}");
            assertEquals("POLICY", denied.get("reason").getAsString());
            assertEquals("whitelist", denied.get("policy").getAsString());
            JsonObject ok = alice.ok("{\"type\":\"relay\",\"to\":\"" + mallory.endpoint() + "\"}");
            assertNotNull(ok.get("channel"));
        } finally {
            bundles.uninstall(RelayBundles.WHITELIST);
            configs.delete("relay.policy.whitelist");
        }
    }

    @Test
    public void anInvalidConfigurationIsRefusedNamingItAndThePreviousStays() throws Exception {
        Configs configs = new Configs(context);
        try (LogEntries log = new LogEntries(context)) {
            configs.put("relay.signal", SignalIT.signalConfig(Map.of("max.frame.bytes", "2.5", "jwt.secret", "changed-"
                    + "x".repeat(40))));
            log.await(RelayBundles.SIGNAL, LogLevel.ERROR, "max.frame.bytes = '2.5'", "previous configuration");
            // the previous secret is still the one in force: a token it signed is taken
            try (SignalPeer p = SignalPeer.hello(WS, token("alice@example.com", "[]"))) {
                p.ok("{\"type\":\"ping\"}");
            }
            // a valid change takes effect at once: a smaller frame limit for the next connection
            configs.put("relay.signal", SignalIT.signalConfig(Map.of("max.frame.bytes", "300")));
            String t = token("alice@example.com", "[]");
            Poll.until("a 400-byte frame to close the next connection with 1009", () -> {
                try (SignalPeer p = SignalPeer.hello(WS, t)) {
                    p.ws.send("{\"type\":\"ping\",\"id\":\"x\",\"pad\":\"" + "y".repeat(400) + "\"}");
                    WsClient.Closed c = p.ws.closed(2000);
                    return c != null && c.code() == 1009;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            configs.put("relay.signal", SignalIT.signalConfig(Map.of()));
        }
    }

    @Test
    public void theRestResourcesFollowRelayHttpsTokenAndHostRules() throws Exception {
        Configs configs = new Configs(context);
        String apiToken = "signal-rest-token-0123456789";
        RawHttp.Response rebound = RawHttp.exchange(InetAddress.getLoopbackAddress(), HTTP_PORT,
                "GET /signal/pools HTTP/1.1\r\nHost: rebind.example\r\nConnection: close\r\n", null);
        assertEquals(rebound.body(), 403, rebound.status());
        assertEquals("forbidden_host", rebound.json().get("error").getAsString());
        try {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT, "token", apiToken));
            Poll.until("the token to be required", () -> HttpCall.send("GET", REST + "/pools", null).status() == 401);
            HttpCall.Response noToken = HttpCall.send("POST", REST + "/tokens", "{\"user\":\"a@example.com\"}");
            assertEquals(401, noToken.status());
            HttpCall.Response withToken = HttpCall.send("POST", REST + "/tokens", "{\"user\":\"a@example.com\"}",
                    Map.of("Authorization", "Bearer " + apiToken));
            assertEquals(withToken.body(), 200, withToken.status());
            HttpCall.Response wrongMethod = HttpCall.send("GET", REST + "/tokens", null,
                    Map.of("Authorization", "Bearer " + apiToken));
            assertEquals(405, wrongMethod.status());
            HttpCall.Response badBody = HttpCall.send("POST", REST + "/tokens", "{\"user\":\"a@@b\"}",
                    Map.of("Authorization", "Bearer " + apiToken));
            assertEquals(400, badBody.status());
            assertEquals("invalid_user", badBody.json().getAsJsonObject().get("error").getAsString());
            HttpCall.Response badTtl = HttpCall.send("POST", REST + "/tokens", "{\"user\":\"a@b.c\",\"ttl\":999999999}",
                    Map.of("Authorization", "Bearer " + apiToken));
            assertEquals("invalid_body", badTtl.json().getAsJsonObject().get("error").getAsString());
        } finally {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            Poll.until("the token to be dropped", () -> HttpCall.send("GET", REST + "/pools", null).status() == 200);
        }
    }

    @Test
    public void withRelayHttpsKeystoreTheNodeServesWssAndPlainGetsA426() throws Exception {
        HttpCall.Response plain = HttpCall.send("GET", "http://127.0.0.1:" + HTTP_PORT + "/signal", null);
        assertEquals(plain.body(), 426, plain.status());
        assertEquals("upgrade_required", plain.json().getAsJsonObject().get("error").getAsString());

        Configs configs = new Configs(context);
        String token = token("alice@example.com", "[\"tls\"]");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("relay-signal-tls");
        relay.testing.TestKeystore keystore = relay.testing.TestKeystore.create(dir.resolve("relay.p12"), "signal-keystore-pw");
        try {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT,
                    "tls.keystore", keystore.path().toString(), "tls.password", keystore.password()));
            WsClient secure = Poll.until("wss:// to answer", () -> {
                try {
                    return WsClient.connect("wss://127.0.0.1:" + HTTP_PORT + "/signal", keystore.trust());
                } catch (Exception e) {
                    return null; // the TLS listener is not up yet
                }
            });
            try {
                secure.send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
                assertTrue(secure.await("welcome", f -> f.contains("\"welcome\"")).contains("alice@example.com"));
                secure.send("{\"type\":\"join\",\"id\":\"1\",\"pool\":\"tls\"}");
                assertTrue(secure.await("the ack", f -> f.contains("\"ack\"")).contains("\"peers\":[]"));
            } finally {
                secure.close();
            }
        } finally {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            Poll.until("plain HTTP back", () -> {
                try {
                    return HttpCall.send("GET", REST + "/pools", null).status() == 200;
                } catch (java.io.UncheckedIOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    public void aClientThatStopsReadingIsClosedPastItsSendBudgetAndTheSenderGoesOn() throws Exception {
        Configs configs = new Configs(context);
        configs.put("relay.signal", SignalIT.signalConfig(Map.of("max.frame.bytes", "65536", "max.messages.per.second",
                "1000", "max.burst", "1000")));
        try (SignalPeer alice = SignalPeer.hello(WS, token("alice@example.com", "[\"slow\"]"));
                RawWebSocket hung = new RawWebSocket(HTTP_PORT, "/signal")) {
            hung.sendText("{\"type\":\"hello\",\"token\":\"" + token("bob@example.com", "[\"slow\"]") + "\"}");
            hung.sendText("{\"type\":\"join\",\"id\":\"j\",\"pool\":\"slow\"}");
            alice.ok("{\"type\":\"join\",\"pool\":\"slow\"}");
            Poll.until("bob in the pool", () -> HttpCall.send("GET", REST + "/pools/slow", null).body().contains("bob@"));
            String big = "z".repeat(60_000);
            for (int i = 0; i < 300; i++) {
                alice.ws.send("{\"type\":\"message\",\"id\":\"s" + i + "\",\"pool\":\"slow\",\"body\":\"" + big + "\"}");
            }
            Poll.until("the node to close the client that does not read", () -> {
                HttpCall.Response m = HttpCall.send("GET", "http://127.0.0.1:" + HTTP_PORT + "/metrics", null);
                return relay.testing.Exposition.parse(m.body(), relay.testing.Exposition.Format.PROMETHEUS)
                        .value("signal_refused_total", "reason", "slow_consumer") >= 1;
            });
            alice.ok("{\"type\":\"ping\"}");
        } finally {
            configs.put("relay.signal", SignalIT.signalConfig(Map.of()));
        }
    }

    @Test
    public void resumingOnANewConnectionClosesTheOldOneWith4409() throws Exception {
        try (SignalPeer bob = SignalPeer.hello(WS, token("bob@example.com", "[]"));
                SignalPeer again = SignalPeer.connect(WS)) {
            again.ws.send("{\"type\":\"hello\",\"resume\":\"" + bob.welcome.get("resume").getAsString() + "\"}");
            JsonObject w = again.awaitType("welcome");
            assertEquals(bob.endpoint(), w.get("endpoint").getAsString());
            assertEquals(4409, bob.ws.closed(5000).code());
            again.ok("{\"type\":\"ping\"}");
        }
    }

    @Test
    public void aStoppedBundleClosesItsConnectionsAndLeavesNoThreadNorService() throws Exception {
        RelayBundles bundles = new RelayBundles(context);
        SignalPeer p = SignalPeer.hello(WS, token("alice@example.com", "[]"));
        Bundle signal = bundles.find(RelayBundles.SIGNAL).orElseThrow();
        bundles.stop(RelayBundles.SIGNAL);
        WsClient.Closed closed = p.ws.closed(5000);
        assertNotNull(closed);
        assertEquals(1001, closed.code());
        Poll.until("no relay-signal thread", () -> RelayThreads.alive().stream().noneMatch(t -> t.getName().startsWith("relay-signal")));
        ServiceReference<?>[] left = signal.getRegisteredServices();
        assertTrue("services left: " + (left == null ? List.of() : List.of(left)), left == null || left.length == 0);
        HttpCall.Response gone = HttpCall.send("GET", REST + "/pools", null);
        assertEquals(404, gone.status()); // relay.http's own 404 for what it does not serve
        bundles.start(RelayBundles.SIGNAL);
        Poll.until("the node back", () -> HttpCall.send("GET", REST + "/pools", null).status() == 200);
        try (SignalPeer q = SignalPeer.hello(WS, token("alice@example.com", "[]"))) {
            q.ok("{\"type\":\"ping\"}");
        }
    }

    /** Needs the machine's Redis ({@code REDIS_URL}, else 127.0.0.1:6379): fails, saying how to start one, without it. */
    @Test
    public void aStoppedBundleOnRedisUnsubscribesAndLeavesNoThreadNorConnection() throws Exception {
        TestRedis.requireReachable();
        String channel = "relay.signal.itest." + java.util.UUID.randomUUID();
        Configs configs = new Configs(context);
        RelayBundles bundles = new RelayBundles(context);
        try (Jedis redis = new Jedis(TestRedis.URI_, 2000)) {
            configs.put("relay.signal", SignalIT.signalConfig(Map.of("redis.uri", TestRedis.URI_.toString(),
                    "redis.channel", channel)));
            Poll.until("the node to subscribe to its channel", () -> redis.pubsubNumSub(channel).get(channel) == 1L);
            Poll.until("the node's Redis threads", () -> RelayThreads.alive().stream()
                    .anyMatch(t -> t.getName().startsWith("relay-signal-redis")));
            bundles.stop(RelayBundles.SIGNAL);
            Poll.until("no relay-signal thread", () -> RelayThreads.alive().stream()
                    .noneMatch(t -> t.getName().startsWith("relay-signal")));
            Poll.until("no subscriber left on the channel", () -> redis.pubsubNumSub(channel).get(channel) == 0L);
        } finally {
            configs.put("relay.signal", SignalIT.signalConfig(Map.of()));
            bundles.start(RelayBundles.SIGNAL);
        }
        Poll.until("the node back", () -> HttpCall.send("GET", REST + "/pools", null).status() == 200);
    }
}
