package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.RelayDeniedException;
import relay.api.Side;
import relay.testing.CapturedLog;

/**
 * {@code "peerA"} and {@code "peerB"} of {@code POST /relay/channels}: what reaches the relay, how
 * the channel shows them, and what a malformed one gets. Against a {@link StubRelay} that keeps
 * the peers of the request as the core does.
 */
class RestApiPeersTest {

    private final CapturedLog log = new CapturedLog("relay.http");
    private final StubRelay relay = new StubRelay();
    private final RestApi api = new RestApi(log.logger());

    {
        api.useRelay(relay);
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    private static JsonObject object(ApiResponse r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static Optional<String> peer(ChannelRequest r, Side side) {
        return r.expectedPeer(side).map(ExpectedPeer::toString);
    }

    @Test
    void peersReachTheRelayAndTheChannelShowsThem() {
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"peerA\": \"192.0.2.7:4000\","
                + " \"peerB\": \"[2001:db8::1]:4000\"}").on(api);
        assertEquals(201, r.status(), r.body());
        ChannelRequest request = relay.requests().get(0);
        assertEquals(Optional.of("192.0.2.7:4000"), peer(request, Side.A));
        assertEquals(Optional.of(ExpectedPeer.parse("[2001:db8::1]:4000")), request.expectedPeer(Side.B));
        assertEquals("alice@example.com", request.user().toString());
        assertTrue(request.origin().startsWith("rest "), request.origin());

        JsonObject ch = object(r);
        assertEquals("192.0.2.7:4000", ch.get("expectedPeerA").getAsString());
        // as the relay writes addresses, whatever form of IPv6 text that is
        assertEquals(ExpectedPeer.parse("[2001:db8::1]:4000").toString(), ch.get("expectedPeerB").getAsString());
        JsonObject seen = object(Call.get("/relay/channels/" + ch.get("id").getAsString()).on(api));
        assertEquals("192.0.2.7:4000", seen.get("expectedPeerA").getAsString());
    }

    @Test
    void anAddressWithoutAPortMatchesAnyPort() {
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"peerB\": \" 192.0.2.9 \"}").on(api);
        assertEquals(201, r.status(), r.body());
        assertEquals(0, relay.requests().get(0).expectedPeer(Side.B).orElseThrow().port());
        assertEquals("192.0.2.9", object(r).get("expectedPeerB").getAsString());
        assertTrue(object(r).get("expectedPeerA").isJsonNull());
    }

    @Test
    void absentOrNullPeersExpectNobody() {
        for (String body : new String[] {"{\"user\": \"alice@example.com\"}",
                "{\"user\": \"alice@example.com\", \"peerA\": null, \"peerB\": null}"}) {
            ApiResponse r = Call.allocate(body).on(api);
            assertEquals(201, r.status(), r.body());
            assertTrue(object(r).get("expectedPeerA").isJsonNull(), r.body());
            assertTrue(object(r).get("expectedPeerB").isJsonNull(), r.body());
        }
        for (ChannelRequest request : relay.requests()) {
            assertEquals(Optional.empty(), request.expectedPeer(Side.A));
            assertEquals(Optional.empty(), request.expectedPeer(Side.B));
        }
    }

    @Test
    void aMalformedPeerIs400InvalidPeerAndReachesNoRelay() {
        String[] values = {"\"\"", "\" \"", "\"1.2.3\"", "\"relay.example.com\"", "\"192.0.2.7:0\"", "\"192.0.2.7:65536\"",
            "\"[2001:db8::1\"", "\"2001:db8::1:4000:x\"", "\"[192.0.2.7]:4000\"", "7", "true", "[\"192.0.2.7\"]",
            "{\"ip\": \"192.0.2.7\"}"};
        for (String side : new String[] {"peerA", "peerB"}) {
            for (String value : values) {
                ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\", \"" + side + "\": " + value + "}").on(api);
                assertEquals(400, r.status(), value + " " + r.body());
                JsonObject error = object(r);
                assertEquals("invalid_peer", error.get("error").getAsString(), r.body());
                assertTrue(error.get("message").getAsString().startsWith(side + ": "), r.body());
            }
        }
        assertEquals(List.of(), relay.requests());
    }

    @Test
    void aBadUserIsReportedBeforeABadPeer() {
        ApiResponse r = Call.allocate("{\"user\": \"alice@\", \"peerA\": \"x\"}").on(api);
        assertEquals("invalid_user", object(r).get("error").getAsString(), r.body());
    }

    @Test
    void aResourcesDenialIs503LikeCapacity() {
        relay.failWith(request -> {
            throw new RelayDeniedException(RelayDeniedException.Reason.RESOURCES, "no file descriptors left");
        });
        ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\"}").on(api);
        assertEquals(503, r.status(), r.body());
        JsonObject error = object(r);
        assertEquals("unavailable", error.get("error").getAsString());
        assertEquals("RESOURCES", error.get("reason").getAsString());
        assertEquals("no file descriptors left", error.get("message").getAsString());
        assertTrue(error.get("policy").isJsonNull());
    }

    @Test
    void statsCarryTheCoresNewFigures() {
        JsonObject stats = object(Call.get("/relay/stats").on(api));
        assertEquals(25, stats.get("effectiveCapacity").getAsInt());
        assertEquals(3, stats.get("listenerDrops").getAsLong());
        assertEquals(0, stats.get("authFailures").getAsLong());
    }
}
