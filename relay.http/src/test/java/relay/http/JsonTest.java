package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.DestroyReason;
import relay.api.RelayStats;

class JsonTest {

    private static String user(String body) {
        return Json.user(body);
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
    void statsCarryTheWrongTokensTheApiSaw() {
        RelayStats stats = RelayStats.builder().started(Instant.parse("2026-01-01T00:00:00Z")).build();
        JsonObject s = JsonParser.parseString(Json.stats(stats, 9)).getAsJsonObject();
        assertEquals(9, s.get("authFailures").getAsLong());
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
