package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.BareJid;
import relay.api.ChannelSide;
import relay.api.ChannelState;
import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayStats;
import relay.api.Traffic;

class JsonTest {

    private static String user(String body) {
        return Json.allocation(body).user();
    }

    @Test
    void readsTheUser() {
        assertEquals("alice@example.com", user("{\"user\": \"alice@example.com\", \"note\": [1, 2]}"));
    }

    @Test
    void refusesAnythingButOneStrictJsonObject() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        for (String bad : new String[] {"{", "{user: \"a@b.c\"}", "{'user': 'a@b.c'}", "[]", "\"a@b.c\"", "null",
                "{\"user\": \"a@b.c\"} {}", "{\"user\": \"a@b.c\"} x", "// hi\n{\"user\": \"a@b.c\"}", deep}) {
            BadRequest e = assertThrows(BadRequest.class, () -> user(bad), bad);
            assertEquals("invalid_json", e.code(), bad);
        }
    }

    @Test
    void refusesADuplicateKeyAtAnyDepth() {
        for (String bad : new String[] {"{\"user\": \"a@b.c\", \"user\": \"d@e.f\"}", "{\"user\": \"a@b.c\", \"user\": null}",
                "{\"user\": \"a@b.c\", \"x\": {\"k\": 1, \"k\": 1}}", "{\"user\": \"a@b.c\", \"x\": [{\"k\": 1, \"k\": 2}]}"}) {
            BadRequest e = assertThrows(BadRequest.class, () -> user(bad), bad);
            assertEquals("invalid_json", e.code(), bad);
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
        }
        assertEquals("a@b.c", user("{\"user\": \"a@b.c\", \"x\": {\"k\": 1}, \"y\": {\"k\": 2}}"));
    }

    @Test
    void readsThePeersAsTextOrNothing() {
        Json.AllocationBody b = Json.allocation("{\"user\": \"a@b.c\", \"peerA\": \"192.0.2.7:4000\", \"peerB\": null}");
        assertEquals("192.0.2.7:4000", b.peerA());
        assertNull(b.peerB());
        assertNull(Json.allocation("{\"user\": \"a@b.c\"}").peerA());
        for (String bad : new String[] {"1", "false", "[]", "{}"}) {
            BadRequest e = assertThrows(BadRequest.class, () -> Json.allocation("{\"user\": \"a@b.c\", \"peerB\": " + bad + "}"));
            assertEquals("invalid_peer", e.code());
            assertTrue(e.getMessage().startsWith("peerB: "), e.getMessage());
        }
    }

    @Test
    void aChannelShowsItsExpectedPeers() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RelayChannel c = RelayChannel.builder().id("c1").owner(BareJid.parse("alice@example.com")).host("127.0.0.1").rtcp(false)
                .sideA(ChannelSide.of(4000, 0, null, null).withExpectedPeer(ExpectedPeer.parse("[2001:db8::1]:5000")))
                .sideB(ChannelSide.of(4002, 0, null, null)).created(t).lastActivity(t).expire(60)
                .state(ChannelState.WAITING).aToB(Traffic.NONE).bToA(Traffic.NONE).build();
        JsonObject ch = JsonParser.parseString(Json.channel(c)).getAsJsonObject();
        assertEquals(ExpectedPeer.parse("[2001:db8::1]:5000").toString(), ch.get("expectedPeerA").getAsString());
        assertEquals(ExpectedPeer.parse("[2001:db8::1]:5000"), ExpectedPeer.parse(ch.get("expectedPeerA").getAsString()));
        assertTrue(ch.get("expectedPeerB").isJsonNull());
    }

    @Test
    void statsCarryCapacityListenerDropsAuthFailuresAndEveryReason() {
        RelayStats stats = RelayStats.builder().started(Instant.parse("2026-01-01T00:00:00Z")).maxChannels(100)
                .effectiveCapacity(25).listenerDrops(4).denied(Map.of(RelayDeniedException.Reason.RESOURCES, 2L))
                .forwarded(Traffic.of(0, 0, Map.of(DropReason.UNEXPECTED_PEER, 5L, DropReason.SCAN_GUARD, 6L))).build();
        JsonObject s = JsonParser.parseString(Json.stats(stats, 9)).getAsJsonObject();
        assertEquals(25, s.get("effectiveCapacity").getAsInt());
        assertEquals(4, s.get("listenerDrops").getAsLong());
        assertEquals(9, s.get("authFailures").getAsLong());
        assertEquals(2, s.getAsJsonObject("denied").get("RESOURCES").getAsLong());
        assertEquals(5, s.getAsJsonObject("forwarded").getAsJsonObject("dropped").get("UNEXPECTED_PEER").getAsLong());
        assertEquals(6, s.getAsJsonObject("forwarded").getAsJsonObject("dropped").get("SCAN_GUARD").getAsLong());
    }

    @Test
    void refusesAMissingOrNonStringUser() {
        for (String bad : new String[] {"{}", "{\"user\": null}", "{\"user\": 5}", "{\"user\": [\"a@b.c\"]}",
                "{\"user\": {\"jid\": \"a@b.c\"}}", "{\"User\": \"a@b.c\"}"}) {
            BadRequest e = assertThrows(BadRequest.class, () -> user(bad), bad);
            assertEquals("invalid_user", e.code(), bad);
        }
    }

    @Test
    void statsCarryEveryDestroyReasonAndTheLoopFaults() {
        RelayStats stats = RelayStats.builder().started(Instant.parse("2026-01-01T00:00:00Z"))
                .destroyed(Map.of(DestroyReason.REQUESTED, 2L, DestroyReason.FAULT, 3L)).ioLoopFaults(1).build();
        JsonObject s = JsonParser.parseString(Json.stats(stats, 0)).getAsJsonObject();
        assertEquals(3, s.getAsJsonObject("destroyed").get("FAULT").getAsLong());
        assertEquals(2, s.getAsJsonObject("destroyed").get("REQUESTED").getAsLong());
        assertEquals(1, s.get("ioLoopFaults").getAsLong());
        assertEquals("2026-01-01T00:00:00Z", s.get("started").getAsString());
    }

    @Test
    void errorsCarryAllFourFieldsAndEscapeWhatTheyQuote() {
        JsonObject e = JsonParser.parseString(Json.error("denied", "POLICY", "whitelist", "no \"x\"\n<b>", 3L))
                .getAsJsonObject();
        assertEquals("denied", e.get("error").getAsString());
        assertEquals("POLICY", e.get("reason").getAsString());
        assertEquals("whitelist", e.get("policy").getAsString());
        assertEquals("no \"x\"\n<b>", e.get("message").getAsString());
        assertEquals(3, e.get("retryAfter").getAsInt());
        JsonObject plain = JsonParser.parseString(Json.error("not_found", null, null, "m", null)).getAsJsonObject();
        assertEquals(true, plain.get("reason").isJsonNull());
        assertEquals(true, plain.get("policy").isJsonNull());
        assertEquals(false, plain.has("retryAfter"));
    }
}
