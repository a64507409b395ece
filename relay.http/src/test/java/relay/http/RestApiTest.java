package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.Poll;
import relay.testing.UdpPeer;
import relay.testing.ComponentConfig;

/** The API's rules against a real relay core on loopback (ports 26000-26199), without a servlet container. */
class RestApiTest {

    /** A token of the shortest length the API takes. */
    static final String TOKEN = "s3cret-s3cret-16";

    private final CapturedLog log = new CapturedLog("relay.http");
    private RelayCore core;
    private RestApi api;

    @BeforeEach
    void start() {
        core = startCore(Map.of());
        api = new RestApi(log.logger());
        api.useRelay(core);
    }

    @AfterEach
    void stop() {
        core.deactivate();
        log.close();
    }

    private static RelayCore startCore(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("bind.address", "127.0.0.1", "public.address", "127.0.0.1",
                "port.min", 26000, "port.max", 26199, "io.threads", 1));
        config.putAll(extra);
        RelayCore c = new RelayCore();
        c.activate(ComponentConfig.of(RelayCoreConfig.class, config));
        return c;
    }

    private ApiResponse call(String method, String path) {
        return Call.of(method, path).on(api);
    }

    private ApiResponse post(String body) {
        return Call.allocate(body).on(api);
    }

    private static JsonObject object(ApiResponse r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static void assertError(ApiResponse r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        JsonObject body = object(r);
        assertEquals(error, body.get("error").getAsString(), r.body());
        for (String key : new String[] {"reason", "policy", "message"}) {
            assertTrue(body.has(key), key + " missing in " + r.body());
        }
        assertFalse(body.get("message").getAsString().isBlank());
    }

    @Test
    void postAllocatesAChannelAndAnswersItsJson() {
        ApiResponse r = post("{\"user\": \"Alice@Example.com/phone\"}");
        assertEquals(201, r.status(), r.body());
        JsonObject ch = object(r);
        String id = ch.get("id").getAsString();
        assertEquals("/relay/channels/" + id, r.headers().get("Location"));
        assertEquals("alice@example.com", ch.get("owner").getAsString());
        assertEquals("127.0.0.1", ch.get("host").getAsString());
        assertEquals("WAITING", ch.get("state").getAsString());
        assertTrue(ch.get("rtcp").getAsBoolean());
        int portA = ch.get("portA").getAsInt();
        assertEquals(portA + 1, ch.get("rtcpPortA").getAsInt());
        assertTrue(portA >= 26000 && portA <= 26199);
        assertTrue(ch.get("expire").getAsLong() > 0);
        assertNotNull(java.time.Instant.parse(ch.get("created").getAsString()));
        assertTrue(ch.get("peerA").isJsonNull());
        assertEquals(portA, core.channel(id).orElseThrow().portA());
        assertEquals(ch.get("portB").getAsInt(), core.channel(id).orElseThrow().portB());
    }

    @Test
    void aChannelShowsItsPeersAndCountersOnceMediaFlows() throws Exception {
        JsonObject ch = object(post("{\"user\": \"alice@example.com\"}"));
        String id = ch.get("id").getAsString();
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            b.send(ch.get("portB").getAsInt(), new byte[] {1}); // latches B
            Poll.until("B latched", () -> core.channel(id).orElseThrow().sideB().latched());
            a.send(ch.get("portA").getAsInt(), "media");
            assertEquals("media", UdpPeer.text(b.receivePacket(2000)));

            JsonObject now = Poll.until("A's datagram counted", () -> {
                JsonObject c = object(call("GET", "/relay/channels/" + id));
                return c.getAsJsonObject("aToB").get("packets").getAsLong() == 1 ? c : null;
            });
            assertEquals("ACTIVE", now.get("state").getAsString());
            assertEquals("127.0.0.1:" + a.port(), now.get("peerA").getAsString());
            assertEquals("127.0.0.1:" + b.port(), now.get("peerB").getAsString());
            assertEquals(1, now.getAsJsonObject("aToB").get("packets").getAsLong());
            assertEquals(5, now.getAsJsonObject("aToB").get("bytes").getAsLong());
            assertEquals(1, now.getAsJsonObject("bToA").getAsJsonObject("dropped").get("NOT_LATCHED").getAsLong());
        }
    }

    @Test
    void listsAllChannelsOrOneUsersAndRefusesAnInvalidUser() {
        post("{\"user\": \"alice@example.com\"}");
        post("{\"user\": \"bob@example.com\"}");
        JsonArray all = JsonParser.parseString(call("GET", "/relay/channels").body()).getAsJsonArray();
        assertEquals(2, all.size());
        ApiResponse bobs = Call.get("/relay/channels").query("user=BOB%40example.com").on(api);
        JsonArray list = JsonParser.parseString(bobs.body()).getAsJsonArray();
        assertEquals(1, list.size());
        assertEquals("bob@example.com", list.get(0).getAsJsonObject().get("owner").getAsString());
        assertError(Call.get("/relay/channels").query("user=bad+user@x").on(api), 400, "invalid_user");
    }

    @Test
    void deleteDestroysTheChannelAndThenItIsNotFound() {
        String id = object(post("{\"user\": \"alice@example.com\"}")).get("id").getAsString();
        ApiResponse deleted = call("DELETE", "/relay/channels/" + id);
        assertEquals(204, deleted.status());
        assertEquals(null, deleted.body());
        assertTrue(core.channel(id).isEmpty());
        assertError(call("DELETE", "/relay/channels/" + id), 404, "not_found");
        assertError(call("GET", "/relay/channels/" + id), 404, "not_found");
        assertError(call("GET", "/relay/channels/no-such-id"), 404, "not_found");
    }

    @Test
    void statsCountWhatHappened() {
        post("{\"user\": \"alice@example.com\"}");
        JsonObject stats = object(call("GET", "/relay/stats"));
        assertEquals(1, stats.get("liveChannels").getAsInt());
        assertEquals(1, stats.get("allocated").getAsLong());
        assertEquals(200, stats.get("portsTotal").getAsInt());
        assertEquals(196, stats.get("portsFree").getAsInt());
        assertFalse(stats.get("draining").getAsBoolean());
        assertTrue(stats.get("forwarded").isJsonObject());
        assertEquals(0, stats.getAsJsonObject("destroyed").get("FAULT").getAsLong());
        assertEquals(0, stats.get("ioLoopFaults").getAsLong());
        // the core's own figures, whatever it reports today, and the API's own count of wrong tokens
        assertEquals(core.stats().effectiveCapacity(), stats.get("effectiveCapacity").getAsInt());
        assertEquals(0, stats.get("listenerDrops").getAsLong());
        assertEquals(0, stats.get("authFailures").getAsLong());
    }

    @Test
    void aChannelWithoutExpectedPeersShowsThemAsNull() {
        JsonObject ch = object(post("{\"user\": \"alice@example.com\"}"));
        assertTrue(ch.has("expectedPeerA") && ch.get("expectedPeerA").isJsonNull(), ch.toString());
        assertTrue(ch.has("expectedPeerB") && ch.get("expectedPeerB").isJsonNull(), ch.toString());
    }

    /**
     * End to end through the real core: the peers of the request are the channel's. Skipped (not
     * failed) while the core does not keep expected peers; it must run, and pass, once it does.
     */
    @Test
    @Tag("core-expected-peers")
    void theChannelShowsTheExpectedPeersOnceTheCoreKeepsThem() {
        ApiResponse r = post("{\"user\": \"alice@example.com\", \"peerA\": \"127.0.0.1:4000\", \"peerB\": \"[::1]\"}");
        assertEquals(201, r.status(), r.body());
        String id = object(r).get("id").getAsString();
        assertNotNull(core.channel(id).orElseThrow().sideA().expectedPeer(), "the core keeps the expected peer");
        assertEquals("127.0.0.1:4000", object(r).get("expectedPeerA").getAsString());
        assertEquals(ExpectedPeer.parse("[::1]").toString(), object(r).get("expectedPeerB").getAsString());
        JsonObject seen = object(call("GET", "/relay/channels/" + id));
        assertEquals("127.0.0.1:4000", seen.get("expectedPeerA").getAsString());
        assertEquals(ExpectedPeer.parse("[::1]").toString(), seen.get("expectedPeerB").getAsString());
    }

    @Test
    void malformedBodiesAre400AndHoldNothing() {
        for (String bad : new String[] {"", "{", "{user: \"a@example.com\"}", "[]", "{\"user\": \"a@example.com\"} x"}) {
            assertError(post(bad), 400, "invalid_json");
        }
        byte[] latin1 = "{\"user\": \"j\u00f6rg@example.com\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertError(Call.allocate("").body(latin1).on(api), 400, "invalid_json");
        for (String bad : new String[] {"{}", "{\"user\": 7}", "{\"user\": \"\"}", "{\"user\": \"   \"}",
                "{\"user\": \"@example.com\"}", "{\"user\": \"a b@example.com\"}", "{\"user\": \"a@exa mple.com\"}"}) {
            assertError(post(bad), 400, "invalid_user");
        }
        assertEquals(0, core.channels().size());
        assertEquals(0, core.stats().allocated());
    }

    @Test
    void anOversizedBodyIs400WhetherDeclaredOrNot() {
        String big = "{\"user\": \"alice@example.com\", \"pad\": \"" + "x".repeat(RestApi.MAX_BODY) + "\"}";
        assertError(post(big), 400, "body_too_large");
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        assertError(Call.allocate("").body(bytes).contentLength(-1).on(api), 400, "body_too_large");
        assertError(Call.allocate("").contentLength(1_000_000_000L).on(api), 400, "body_too_large");
        assertEquals(0, core.channels().size());
    }

    @Test
    void aPolicyDenialIs403WithThePolicyAndRetryAfter() {
        core.bindPolicy(new ClosedDomain("evil.example", null), Map.of("service.id", 1L));
        core.bindPolicy(new ClosedDomain("busy.example", Duration.ofMillis(2500)), Map.of("service.id", 2L));
        ApiResponse r = post("{\"user\": \"mallory@evil.example\"}");
        assertError(r, 403, "denied");
        assertEquals("POLICY", object(r).get("reason").getAsString());
        assertEquals("closed-domain", object(r).get("policy").getAsString());
        assertFalse(r.headers().containsKey("Retry-After"));

        ApiResponse later = post("{\"user\": \"bob@busy.example\"}");
        assertError(later, 403, "denied");
        assertEquals("3", later.headers().get("Retry-After"));
        assertEquals(3, object(later).get("retryAfter").getAsInt());
        assertEquals(0, core.channels().size());
        assertEquals(201, post("{\"user\": \"alice@example.com\"}").status());
    }

    @Test
    void capacityPortsAndDrainingAre503WithTheirReason() {
        core.modified(ComponentConfig.of(RelayCoreConfig.class,
                Map.of("bind.address", "127.0.0.1", "port.min", 26000, "port.max", 26199, "max.channels", 1)));
        assertEquals(201, post("{\"user\": \"alice@example.com\"}").status());
        ApiResponse full = post("{\"user\": \"bob@example.com\"}");
        assertError(full, 503, "unavailable");
        assertEquals("CAPACITY", object(full).get("reason").getAsString());

        core.deactivate();
        core = startCore(Map.of("port.min", 26200, "port.max", 26203)); // room for one channel
        api.useRelay(core);
        assertEquals(201, post("{\"user\": \"alice@example.com\"}").status());
        ApiResponse noPorts = post("{\"user\": \"bob@example.com\"}");
        assertError(noPorts, 503, "unavailable");
        assertEquals("PORTS_EXHAUSTED", object(noPorts).get("reason").getAsString());

        core.drain(true);
        ApiResponse draining = post("{\"user\": \"bob@example.com\"}");
        assertError(draining, 503, "unavailable");
        assertEquals("DRAINING", object(draining).get("reason").getAsString());
        assertEquals(1, core.channels().size());
    }

    @Test
    void withATokenOnlyTheRightBearerPasses() {
        api.useToken(TOKEN);
        ApiResponse none = call("GET", "/relay/stats");
        assertError(none, 401, "unauthorized");
        assertEquals("Bearer realm=\"relay\"", none.headers().get("WWW-Authenticate"));
        assertError(Call.get("/relay/stats").bearer("wrong").on(api), 401, "unauthorized");
        assertError(Call.get("/relay/stats").authorization("Basic czNjcmV0").on(api), 401, "unauthorized");
        assertError(Call.allocate("{\"user\": \"a@example.com\"}").bearer(TOKEN.substring(1)).on(api), 401, "unauthorized");
        assertEquals(0, core.channels().size());
        assertEquals(200, Call.get("/relay/stats").authorization("bearer " + TOKEN).on(api).status());
        assertEquals(200, Call.get("/relay/stats").bearer(TOKEN).from(Call.elsewhere("192.0.2.7")).on(api).status());
    }

    @Test
    void withoutATokenOnlyLoopbackClientsPass() {
        assertError(Call.get("/relay/stats").from(Call.elsewhere("192.0.2.7")).on(api), 401, "unauthorized");
        assertEquals(200, call("GET", "/relay/stats").status());
    }

    @Test
    void wrongMethodsAre405WithAllowAndUnknownPaths404() {
        ApiResponse r = call("PUT", "/relay/channels");
        assertError(r, 405, "method_not_allowed");
        assertEquals("GET, POST", r.headers().get("Allow"));
        assertEquals("GET, DELETE", call("POST", "/relay/channels/abc").headers().get("Allow"));
        assertEquals("GET", call("DELETE", "/relay/stats").headers().get("Allow"));
        assertError(call("get", "/relay/stats"), 405, "method_not_allowed"); // methods are case-sensitive
        for (String path : new String[] {null, "", "/", "/relay", "/relay/", "/nothing", "/channels", "/relayx/channels",
                "/relay/channels/a/b", "/relay/stats/x"}) {
            assertError(call("GET", path), 404, "not_found");
        }
        assertEquals(200, call("GET", "/relay/channels/").status());
    }

    @Test
    void withoutARelayItAnswers503() {
        api.useRelay(null);
        assertError(call("GET", "/relay/stats"), 503, "unavailable");
        assertError(post("{\"user\": \"alice@example.com\"}"), 503, "unavailable");
        assertError(post("{"), 400, "invalid_json");
    }

    @Test
    void anAnswerThatCannotBeDeliveredUndoesItsAllocation() {
        ApiResponse r = post("{\"user\": \"alice@example.com\"}");
        String id = object(r).get("id").getAsString();
        r.undo().run();
        assertTrue(core.channel(id).isEmpty());
    }

    @Test
    void anUnexpectedFailureIs503WithoutDetails() {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("container failure with internals");
            }
        };
        ApiResponse r = Call.allocate("").stream(broken).contentLength(20).on(api);
        assertError(r, 503, "unavailable");
        assertFalse(r.body().contains("internals"));
        assertEquals(0, core.channels().size());
    }

    @Test
    void aStoppedRelayAnswers503() throws IOException {
        core.deactivate();
        assertError(post("{\"user\": \"alice@example.com\"}"), 503, "unavailable");
        assertError(call("GET", "/relay/stats"), 503, "unavailable");
        assertError(call("DELETE", "/relay/channels/abc"), 503, "unavailable");
        core = startCore(Map.of()); // for stop()
    }

    /** A real policy: denies one domain, optionally saying when to retry. */
    private record ClosedDomain(String domain, Duration retryAfter) implements RelayPolicy {
        @Override
        public String name() {
            return "closed-domain";
        }

        @Override
        public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
            if (!request.user().domain().equals(domain)) {
                return PolicyDecision.allow();
            }
            String message = "domain " + domain + " is closed";
            return retryAfter == null ? PolicyDecision.deny(message) : PolicyDecision.deny(message, retryAfter);
        }
    }

}
