package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.Exposition;
import relay.testing.UdpPeer;
import relay.testing.WsClient;

/**
 * The signalling node as the exported relay.jar serves it by default: /signal on relay.http's
 * listener, tokens from POST /signal/tokens (the default configuration has no jwt.secret, so the
 * node signs with a secret of its own run), two endpoints in a pool, a message, and a relay call
 * whose channel forwards real datagrams. Relay ports 26600-26699, HTTP 18640.
 */
class SignalJarIT {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        relay = RelayProcess.prepare("signal", 18640,
                "relay.core", "port.min", "26600", "relay.core", "port.max", "26699").start(true);
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(20), () -> {
            try {
                return relay.get("/signal/pools").statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        }), "GET /signal/pools answers 200");
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private static String token(String user) throws Exception {
        HttpResponse<String> r = relay.post("/signal/tokens", "{\"user\":\"" + user + "\",\"pools\":[\"room\"],\"ttl\":300}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).get("token").getAsString();
    }

    private static WsClient hello(String user) throws Exception {
        WsClient ws = WsClient.connect("ws://127.0.0.1:" + relay.httpPort + "/signal");
        ws.send("{\"type\":\"hello\",\"token\":\"" + token(user) + "\"}");
        return ws;
    }

    private static JsonObject await(WsClient ws, String type) throws InterruptedException {
        return json(ws.await(type, t -> json(t).get("type").getAsString().equals(type)));
    }

    private static JsonObject ack(WsClient ws, String frame) throws Exception {
        String id = "c" + IDS.incrementAndGet();
        JsonObject f = json(frame);
        f.addProperty("id", id);
        ws.send(f.toString());
        JsonObject a = json(ws.await("answer " + id, t -> json(t).has("id") && !json(t).get("id").isJsonNull()
                && json(t).get("id").getAsString().equals(id)));
        assertEquals("ack", a.get("type").getAsString(), a.toString());
        return a;
    }

    @Test
    void twoEndpointsTalkAndCallThroughTheRelayInTheExportedJar() throws Exception {
        try (WsClient alice = hello("alice@example.com"); WsClient bob = hello("bob@example.com")) {
            String aliceId = await(alice, "welcome").get("endpoint").getAsString();
            String bobId = await(bob, "welcome").get("endpoint").getAsString();
            ack(alice, "{\"type\":\"join\",\"pool\":\"room\"}");
            assertEquals(1, ack(bob, "{\"type\":\"join\",\"pool\":\"room\"}").getAsJsonArray("peers").size());
            assertEquals(bobId, await(alice, "peer-joined").get("endpoint").getAsString());

            ack(alice, "{\"type\":\"message\",\"pool\":\"room\",\"body\":\"hello room\"}");
            JsonObject m = await(bob, "message");
            assertEquals("hello room", m.get("body").getAsString());
            assertEquals(aliceId, m.get("from").getAsString());

            JsonObject a = ack(alice, "{\"type\":\"relay\",\"to\":\"" + bobId + "\"}");
            JsonObject b = await(bob, "relay");
            assertEquals(a.get("channel").getAsString(), b.get("channel").getAsString());
            try (UdpPeer ua = new UdpPeer(); UdpPeer ub = new UdpPeer()) {
                ua.send(a.get("port").getAsInt(), "latch a");
                String got = null;
                for (int i = 0; i < 20 && got == null; i++) {
                    ub.send(b.get("port").getAsInt(), "from b");
                    try {
                        got = UdpPeer.text(ua.receivePacket(250));
                    } catch (java.net.SocketTimeoutException e) {
                        ua.send(a.get("port").getAsInt(), "latch a");
                    }
                }
                assertEquals("from b", got);
                ua.send(a.get("port").getAsInt(), "to b");
                assertEquals("to b", UdpPeer.text(ub.receivePacket(5000)));
            }
            Exposition scrape = Exposition.parse(relay.get("/metrics").body(),
                    Exposition.Format.PROMETHEUS);
            assertEquals(2, scrape.value("signal_sessions"));
            assertTrue(scrape.value("signal_frames_total", "type", "relay") >= 1);
            assertEquals(1, scrape.value("relay_channels_live"));
            relay.shell("signal:pool room");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> relay.console().contains(aliceId)
                    && relay.console().contains("pool room, 2 endpoint(s)")), "signal:pool room at the console");
            HttpResponse<String> channels = relay.get("/relay/channels?user=alice@example.com");
            assertTrue(channels.body().contains(a.get("channel").getAsString()), channels.body());

            bob.close(1000);
            assertNotNull(await(alice, "relay-ended"));
            assertEquals(bobId, await(alice, "peer-left").get("endpoint").getAsString());
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> {
                try {
                    return !relay.get("/relay/channels?user=alice@example.com").body().contains(a.get("channel").getAsString());
                } catch (java.io.IOException e) {
                    return false;
                }
            }), "the call's channel is destroyed when bob's session ends");
        }
    }

    @Test
    void theBrowserFilesAreServedFromTheBundleWithTheirTypesAndRevalidation() throws Exception {
        HttpResponse<String> js = relay.get("/signal/client.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript;charset=utf-8", type(js));
        assertEquals("no-cache", js.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("nosniff", js.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertTrue(js.body().contains("export function connect(url, options = {})"), "an ES module exporting connect");
        assertFalse(java.util.regex.Pattern.compile("(?m)^\\s*import[\\s{*'\"]").matcher(js.body()).find()
                || js.body().contains("import("), "no dependencies: the module imports nothing");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = relay.send(relay.request("/signal/client.js").header("If-None-Match", etag).GET().build());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        HttpResponse<String> changed = relay.send(relay.request("/signal/client.js").header("If-None-Match", "\"other\"").GET().build());
        assertEquals(200, changed.statusCode());

        HttpResponse<String> demo = relay.get("/signal/demo");
        assertEquals(301, demo.statusCode());
        assertEquals("/signal/demo/", demo.headers().firstValue("Location").orElse(null));
        HttpResponse<String> page = relay.get("/signal/demo/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html;charset=utf-8", type(page));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(page.body().contains("demo.js"), page.body());
        HttpResponse<String> script = relay.get("/signal/demo/demo.js");
        assertTrue(script.body().contains("from '/signal/client.js'"), "the demo uses only the client library");
        assertEquals("text/css;charset=utf-8", type(relay.get("/signal/demo/demo.css")));
        HttpResponse<String> post = relay.post("/signal/client.js", "{}");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        assertEquals(404, relay.get("/signal/demo/missing.js").statusCode());
    }

    /** The Content-Type, without the spaces Jetty may or may not write after ';'. */
    private static String type(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
