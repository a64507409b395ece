package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.service.log.LogLevel;

import com.google.gson.JsonObject;

import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.testing.Exposition;
import relay.testing.Poll;

/**
 * A smoke test of relay.http in Felix: the REST API on its own Felix HTTP Jetty listener,
 * driven over real HTTP, allocating a channel that then forwards real datagrams. The API's
 * behaviour in detail is relay.http's own tests' business; this proves the bundles fit.
 */
public class RestIT extends ContainerTest {

    /** TCP, next to the suite's UDP relay ports. */
    private static final int HTTP_PORT = 27950;
    private static final String API = "http://127.0.0.1:" + HTTP_PORT + "/relay";
    private static final String METRICS = "http://127.0.0.1:" + HTTP_PORT + "/metrics";

    private RelayService relay;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {http()};
    }

    @Before
    public void startRelayAndApi() {
        relay = TestRelay.start(context);
        RelayBundles bundles = new RelayBundles(context);
        if (!bundles.active(RelayBundles.HTTP)) {
            new Configs(context).put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            bundles.start(RelayBundles.HTTP);
        }
        Poll.until("the REST API to answer on port " + HTTP_PORT, () -> {
            try {
                return HttpCall.send("GET", API + "/stats", null).status() == 200;
            } catch (java.io.UncheckedIOException e) {
                return false; // the listener is not up yet
            }
        });
    }

    @Test
    public void aChannelAllocatedOverHttpForwardsDatagramsAndIsDestroyedOverHttp() throws IOException {
        HttpCall.Response created = HttpCall.send("POST", API + "/channels", "{\"user\": \"alice@example.com/phone\"}");
        assertEquals(created.body(), 201, created.status());
        JsonObject json = created.json().getAsJsonObject();
        String id = json.get("id").getAsString();
        assertEquals("/relay/channels/" + id, created.location().replaceFirst("^http://[^/]+", ""));
        assertEquals("alice@example.com", json.get("owner").getAsString());
        assertEquals("127.0.0.1", json.get("host").getAsString());

        RelayChannel channel = relay.channel(id).orElseThrow();
        assertEquals(channel.portA(), json.get("portA").getAsInt());
        assertEquals(channel.portB(), json.get("portB").getAsInt());
        try (ChannelPeers peers = new ChannelPeers(channel)) {
            peers.latch(relay).assertForwardsBothWays();
        }

        JsonObject seen = HttpCall.send("GET", API + "/channels/" + id, null).json().getAsJsonObject();
        assertEquals("ACTIVE", seen.get("state").getAsString());
        assertEquals(1, seen.getAsJsonObject("aToB").get("packets").getAsInt());
        assertEquals(2, seen.getAsJsonObject("bToA").get("packets").getAsInt());
        assertEquals(1, HttpCall.send("GET", API + "/channels?user=alice@example.com", null).json().getAsJsonArray().size());
        assertEquals(1, HttpCall.send("GET", API + "/stats", null).json().getAsJsonObject().get("liveChannels").getAsInt());

        assertEquals(204, HttpCall.send("DELETE", API + "/channels/" + id, null).status());
        assertFalse(relay.channel(id).isPresent());
        HttpCall.Response gone = HttpCall.send("GET", API + "/channels/" + id, null);
        assertEquals(404, gone.status());
        assertEquals("not_found", gone.json().getAsJsonObject().get("error").getAsString());
    }

    @Test
    public void badInputAndPolicyDenialsGetTheirStatusCodes() {
        HttpCall.Response bad = HttpCall.send("POST", API + "/channels", "{\"user\": \"alice@@example.com\"}");
        assertEquals(bad.body(), 400, bad.status());
        assertEquals("invalid_user", bad.json().getAsJsonObject().get("error").getAsString());

        Configs configs = new Configs(context);
        RelayBundles bundles = new RelayBundles(context);
        configs.put("relay.policy.whitelist", Map.of("domains", "example.com"));
        bundles.start(RelayBundles.WHITELIST);
        try {
            HttpCall.Response denied = HttpCall.send("POST", API + "/channels", "{\"user\": \"mallory@foreign.test\"}");
            assertEquals(denied.body(), 403, denied.status());
            JsonObject error = denied.json().getAsJsonObject();
            assertEquals("POLICY", error.get("reason").getAsString());
            assertEquals("whitelist", error.get("policy").getAsString());
        } finally {
            bundles.uninstall(RelayBundles.WHITELIST);
            configs.delete("relay.policy.whitelist");
        }
        assertTrue(relay.channels().isEmpty());
    }

    /**
     * A port Declarative Services would cut to a whole number, or refuse without naming it, is
     * refused with a log line naming the key and the value; the API stays where it is.
     */
    @Test
    public void anInvalidPortIsRefusedNamingItAndTheApiStaysWhereItIs() {
        Configs configs = new Configs(context);
        try (LogEntries log = new LogEntries(context)) {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT + 0.5));
            log.await(RelayBundles.HTTP, LogLevel.ERROR, "port = '" + (HTTP_PORT + 0.5) + "'", "previous configuration");
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", "abc"));
            log.await(RelayBundles.HTTP, LogLevel.ERROR, "port = 'abc'", "previous configuration");
            assertEquals(200, HttpCall.send("GET", API + "/stats", null).status());
        } finally {
            configs.put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
        }
    }

    /**
     * {@code GET /metrics} on the API's own listener: both formats read strictly, the relay's figures
     * and the JVM's (client_java's JVM instrumentation resolves in Felix), and the token rule.
     */
    @Test
    public void metricsOverHttpInBothFormatsUnderTheTokenRule() throws IOException {
        HttpCall.Response created = HttpCall.send("POST", API + "/channels", "{\"user\": \"carol@example.com\"}");
        assertEquals(created.body(), 201, created.status());
        String id = created.json().getAsJsonObject().get("id").getAsString();
        try {
            HttpCall.Response text = HttpCall.send("GET", METRICS, null);
            assertEquals(text.body(), 200, text.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", text.contentType());
            Exposition e = Exposition.parse(text.body(), Exposition.Format.PROMETHEUS);
            assertEquals(1, e.value("relay_channels_live"), 0);
            assertTrue(e.value("relay_channels_allocated_total") >= 1);
            assertEquals(TestRelay.PORT_MAX - TestRelay.PORT_MIN + 1, e.value("relay_ports_total"), 0);
            assertEquals(0, e.value("relay_dropped_packets_total", "reason", "rate_limited"), 0);
            assertTrue(e.value("process_open_fds") > 0);
            assertTrue(e.value("jvm_memory_used_bytes", "area", "heap") > 0);

            HttpCall.Response om = HttpCall.send("GET", METRICS, null,
                    Map.of("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3"));
            assertEquals(200, om.status());
            assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", om.contentType());
            assertTrue(om.body().endsWith("# EOF\n"));
            Exposition.parse(om.body(), Exposition.Format.OPENMETRICS);

            String token = "itest-metrics-token-0123";
            new Configs(context).put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT, "token", token));
            Poll.until("the API to want the token", () -> HttpCall.send("GET", METRICS, null).status() == 401);
            HttpCall.Response wrong = HttpCall.send("GET", METRICS, null, Map.of("Authorization", "Bearer not-the-token-at-all"));
            assertEquals(401, wrong.status());
            HttpCall.Response ok = HttpCall.send("GET", METRICS, null, Map.of("Authorization", "Bearer " + token));
            assertEquals(200, ok.status());
            assertEquals(1, Exposition.parse(ok.body(), Exposition.Format.PROMETHEUS).value("relay_http_auth_failures_total"), 0);
        } finally {
            new Configs(context).put("relay.http", Map.of("address", "127.0.0.1", "port", HTTP_PORT));
            Poll.until("the API to drop the token", () -> HttpCall.send("GET", API + "/stats", null).status() == 200);
            HttpCall.send("DELETE", API + "/channels/" + id, null);
        }
    }

    /** What the core gained, over HTTP: families (bad ones 400), the caps in force, a host per side. */
    @Test
    public void familiesCapsAndHostsOverHttp() {
        HttpCall.Response bad = HttpCall.send("POST", API + "/channels", "{\"user\": \"dave@example.com\", \"familyA\": \"ipv5\"}");
        assertEquals(bad.body(), 400, bad.status());
        assertEquals("invalid_family", bad.json().getAsJsonObject().get("error").getAsString());
        HttpCall.Response none = HttpCall.send("POST", API + "/channels", "{\"user\": \"dave@example.com\", \"familyB\": \"IPv6\"}");
        assertEquals(none.body(), 400, none.status());
        assertEquals("invalid_family", none.json().getAsJsonObject().get("error").getAsString());
        assertTrue(none.body(), none.json().getAsJsonObject().get("message").getAsString().contains("bind.address6"));
        assertTrue(relay.channels().isEmpty());

        HttpCall.Response created = HttpCall.send("POST", API + "/channels", "{\"user\": \"dave@example.com\", \"familyA\": \"ipv4\"}");
        assertEquals(created.body(), 201, created.status());
        JsonObject ch = created.json().getAsJsonObject();
        assertEquals("127.0.0.1", ch.get("hostA").getAsString());
        assertEquals("127.0.0.1", ch.get("hostB").getAsString());
        assertTrue(ch.get("maxKbps").isJsonNull());
        assertTrue(ch.get("maxPps").isJsonNull());
        assertEquals(204, HttpCall.send("DELETE", API + "/channels/" + ch.get("id").getAsString(), null).status());
    }
}
