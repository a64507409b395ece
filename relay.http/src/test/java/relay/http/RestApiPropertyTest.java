package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.Side;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * Random input never makes the API answer 500, never lets an exception out (nothing reaches its
 * "unexpected failure" log line), and never leaves a channel half-allocated: after every try, the
 * live channels of a real core are exactly those the API answered 201 for. Ports 26210-26299.
 */
class RestApiPropertyTest {

    private static final Set<Integer> STATUSES = Set.of(200, 201, 204, 400, 401, 403, 404, 405, 415, 429, 503);

    private CapturedLog log;
    private RelayCore core;
    private RestApi api;

    @BeforeProperty
    void start() {
        log = new CapturedLog("relay.http");
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1",
                "public.address", "127.0.0.1", "port.min", 26210, "port.max", 26299, "io.threads", 1)));
        api = new RestApi(log.logger());
        api.useRelay(core);
    }

    @AfterProperty
    void stop() {
        core.deactivate();
        log.close();
    }

    /** Checks one answer: a status the API promises, JSON error objects, no unexpected failure. */
    private void assertWellFormed(ApiResponse r, String input) {
        assertTrue(STATUSES.contains(r.status()), () -> r.status() + " for " + input + ": " + r.body());
        if (r.status() >= 400) {
            JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject();
            for (String key : new String[] {"error", "reason", "policy", "message"}) {
                assertTrue(error.has(key), () -> key + " missing for " + input + ": " + r.body());
            }
        }
        assertEquals(List.of(), log.messages(Level.SEVERE), () -> "an unexpected failure for " + input);
    }

    /** The live channels are exactly those answered 201; then they are deleted through the API. */
    private void assertNothingHalfAllocated(ApiResponse r, String input) {
        Set<String> answered = new HashSet<>();
        if (r.status() == 201) {
            answered.add(JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString());
        }
        Set<String> live = new HashSet<>();
        core.channels().forEach(c -> live.add(c.id()));
        assertEquals(answered, live, () -> "live channels after " + input);
        for (String id : answered) {
            assertEquals(204, Call.of("DELETE", "/relay/channels/" + id).on(api).status());
        }
    }

    @Property(tries = 1000)
    void randomJsonBodies(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType) {
        ApiResponse r = Call.allocate(body).contentType(contentType).on(api);
        assertWellFormed(r, contentType + " " + body);
        assertNothingHalfAllocated(r, body);
    }

    @Property(tries = 1000)
    void randomBytes(@ForAll("bytes") byte[] body, @ForAll("lengths") long declared) {
        ApiResponse r = Call.allocate("").body(body).contentLength(declared < -1 ? body.length : declared).on(api);
        assertWellFormed(r, body.length + " bytes, declared " + declared);
        assertNothingHalfAllocated(r, body.length + " bytes");
    }

    @Property(tries = 1000)
    void aJidIsTakenExactlyWhenItParses(@ForAll("jids") String jid) {
        ApiResponse r = Call.allocate("{\"user\": " + Generators.quoted(jid) + "}").on(api);
        assertWellFormed(r, jid);
        Optional<BareJid> parsed = parse(jid);
        if (parsed.isPresent()) {
            assertEquals(201, r.status(), () -> jid + ": " + r.body());
            assertEquals(parsed.get().toString(), JsonParser.parseString(r.body()).getAsJsonObject().get("owner").getAsString());
        } else {
            assertEquals(400, r.status(), () -> jid + ": " + r.body());
            assertEquals("invalid_user", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
        }
        assertNothingHalfAllocated(r, jid);
    }

    @Property(tries = 1000)
    void randomQueries(@ForAll("queries") String query) {
        ApiResponse r = Call.get("/relay/channels").query(query).on(api);
        assertWellFormed(r, query);
        assertTrue(r.status() == 200 || r.status() == 400, () -> query + " -> " + r.status());
        assertNothingHalfAllocated(r, query);
    }

    @Property(tries = 1000)
    void randomHostsAreServedOnlyWhenLoopback(@ForAll("hosts") String host) {
        ApiResponse r = Call.get("/relay/stats").host(host).on(api);
        assertWellFormed(r, host);
        assertEquals(relay.http.access.ApiAccess.loopbackHost(host) ? 200 : 403, r.status(), host);
        if (r.status() == 200) {
            String h = host.strip().toLowerCase(java.util.Locale.ROOT);
            assertTrue(h.startsWith("localhost") || h.startsWith("127.") || h.startsWith("["), host);
        }
    }

    private static Optional<BareJid> parse(String jid) {
        if (jid.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BareJid.parse(jid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        return Generators.allocationBodies();
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("application/json", "application/json; charset=utf-8")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/json; charset=latin1", "", "application/json;;;")),
                net.jqwik.api.Tuple.of(1, Generators.anyText()));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.bytes().array(byte[].class).ofMinSize(RestApi.MAX_BODY - 8).ofMaxSize(RestApi.MAX_BODY + 8),
                Generators.allocationBodies().map(b -> b.getBytes(java.nio.charset.StandardCharsets.UTF_16)));
    }

    @Provide
    Arbitrary<Long> lengths() {
        return Arbitraries.oneOf(Arbitraries.just(-2L), Arbitraries.of(-1L, 0L, 1L, (long) RestApi.MAX_BODY, RestApi.MAX_BODY + 1L,
                Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<String> jids() {
        return Generators.jids();
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(Arbitraries.of("user", "x", "", "us%65r"),
                Arbitraries.oneOf(Generators.jids(), Generators.anyText())).as((k, v) -> k + "=" + v);
        return Arbitraries.oneOf(Generators.anyText(), pair.list().ofMaxSize(3).map(l -> String.join("&", l)),
                Generators.jids().map(j -> "user=" + java.net.URLEncoder.encode(j, java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(Generators.anyText(), Generators.peers(),
                Generators.peers().map(p -> "[" + p + "]"), Arbitraries.of("localhost", "localhost:8480", "[::1]:1", "127.0.0.1:80"),
                net.jqwik.api.Combinators.combine(Arbitraries.of("localhost", "127.0.0.1", "[::1]"), Generators.anyText())
                        .as((a, b) -> a + b));
    }

    /**
     * With a relay that keeps the peers of the request, as the core does: a request is allocated
     * exactly when both peers parse, with those peers; otherwise it is a 400 {@code invalid_peer}
     * and nothing reaches the relay.
     */
    @Property(tries = 1000)
    void peersAreTakenExactlyWhenTheyParse(@ForAll("peers") String peerA, @ForAll("peers") String peerB) {
        StubRelay stub = new StubRelay();
        RestApi stubbed = new RestApi(log.logger());
        stubbed.useRelay(stub);
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"peerA\": " + Generators.quoted(peerA)
                + ", \"peerB\": " + Generators.quoted(peerB) + "}").on(stubbed);
        assertWellFormed(r, peerA + " / " + peerB);
        Optional<ExpectedPeer> a = peer(peerA);
        Optional<ExpectedPeer> b = peer(peerB);
        if (a.isPresent() && b.isPresent()) {
            assertEquals(201, r.status(), r.body());
            ChannelRequest request = stub.requests().get(0);
            assertEquals(a, request.expectedPeer(Side.A));
            assertEquals(b, request.expectedPeer(Side.B));
            JsonObject ch = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals(a.get().toString(), ch.get("expectedPeerA").getAsString());
            assertEquals(b.get().toString(), ch.get("expectedPeerB").getAsString());
            assertEquals(a.get(), ExpectedPeer.parse(ch.get("expectedPeerA").getAsString()), "what the channel shows reads back");
        } else {
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_peer", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
            assertEquals(List.of(), stub.requests());
        }
    }

    private static Optional<ExpectedPeer> peer(String text) {
        try {
            return Optional.of(ExpectedPeer.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Provide
    Arbitrary<String> peers() {
        return Generators.peers();
    }

}
