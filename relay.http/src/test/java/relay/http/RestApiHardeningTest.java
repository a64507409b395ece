package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.CapturedLog;

/**
 * What the API refuses before it asks the relay: browsers (content type, Host), token guessing,
 * malformed queries and bodies. Against a {@link StubRelay}, so that "nothing was asked" can be seen.
 */
class RestApiHardeningTest {

    private static final String TOKEN = RestApiTest.TOKEN;
    private static final String ALICE = "{\"user\": \"alice@example.com\"}";

    private final CapturedLog log = new CapturedLog("relay.http");
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StubRelay relay = new StubRelay();
    private final RestApi api = new RestApi(log.logger(), nanos::get);

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

    private static void assertError(ApiResponse r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        JsonObject body = object(r);
        assertEquals(error, body.get("error").getAsString(), r.body());
        for (String key : new String[] {"reason", "policy", "message"}) {
            assertTrue(body.has(key), key + " missing in " + r.body());
        }
        assertFalse(body.get("message").getAsString().isBlank());
    }

    private void advanceSeconds(long s) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    // --- item 8: browsers and DNS rebinding

    @Test
    void aPostThatIsNotJsonIs415AndReachesNoRelay() {
        for (String type : new String[] {null, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                "text/plain; charset=utf-8", "application/jsonx", "application/json-patch+json", "json",
                "application/json; charset=iso-8859-1", "application/json; charset=utf-16"}) {
            ApiResponse r = Call.allocate(ALICE).contentType(type).on(api);
            assertError(r, 415, "unsupported_media_type");
        }
        assertEquals(List.of(), relay.requests());
    }

    @Test
    void jsonWithOrWithoutACharsetIsTaken() {
        for (String type : new String[] {"application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", " application/json ;  charset=utf-8 "}) {
            assertEquals(201, Call.allocate(ALICE).contentType(type).on(api).status(), type);
        }
        assertEquals(6, relay.channels().size());
    }

    @Test
    void theContentTypeIsCheckedAfterTheMethodAndTheAccess() {
        assertError(Call.post("/relay/stats", "{}").contentType("text/plain").on(api), 405, "method_not_allowed");
        api.useToken(TOKEN);
        assertError(Call.allocate(ALICE).contentType("text/plain").on(api), 401, "unauthorized");
    }

    @Test
    void withoutATokenOnlyLoopbackHostNamesAreServed() {
        for (String host : new String[] {"localhost", "localhost:8480", "LocalHost", "localhost.", "127.0.0.1",
                "127.0.0.1:8480", "127.8.9.10", "127.255.255.254:1", "[::1]", "[::1]:8480", "[0:0:0:0:0:0:0:1]:8480"}) {
            assertEquals(200, Call.get("/relay/stats").host(host).on(api).status(), host);
        }
        for (String host : new String[] {null, "", " ", "evil.example", "evil.example:8480", "192.0.2.7", "192.0.2.7:8480",
                "localhost.evil.example", "127.0.0.1.evil.example", "evil-localhost", "127.0.0.1.nip.io", "[::2]", "[::1",
                "::1", "[::1]x", "localhost:", "localhost:abc", "localhost:99999", "0x7f000001", "2130706433", "127.1",
                "127.0.0.256", "0.0.0.0", "[::]", "[::ffff:192.0.2.7]", "localhost:8480@evil.example", "user@localhost"}) {
            assertError(Call.get("/relay/stats").host(host).on(api), 403, "forbidden_host");
            assertError(Call.allocate(ALICE).host(host).on(api), 403, "forbidden_host");
        }
        assertEquals(List.of(), relay.requests());
    }

    @Test
    void withATokenAnyHostIsServed() {
        api.useToken(TOKEN);
        assertEquals(200, Call.get("/relay/stats").host("relay.example.com:8480").bearer(TOKEN).on(api).status());
        assertEquals(201, Call.allocate(ALICE).host("relay.example.com").bearer(TOKEN).on(api).status());
    }

    @Test
    void aClientOnAnotherHostIsStill401WithoutAToken() {
        assertError(Call.get("/relay/stats").from(Call.elsewhere("192.0.2.7")).host("evil.example").on(api), 401, "unauthorized");
    }

    // --- item 10: brute force

    @Test
    void tenWrongTokensFromOneAddressLockItOutForAMinute() {
        api.useToken(TOKEN);
        InetAddress guesser = Call.elsewhere("192.0.2.7");
        for (int i = 0; i < 10; i++) {
            assertError(Call.get("/relay/stats").from(guesser).bearer("guess-number-" + i).on(api), 401, "unauthorized");
        }
        ApiResponse locked = Call.get("/relay/stats").from(guesser).bearer(TOKEN).on(api);
        assertError(locked, 429, "too_many_requests");
        assertEquals("60", locked.headers().get("Retry-After"));
        assertEquals(60, object(locked).get("retryAfter").getAsLong());
        assertError(Call.allocate(ALICE).from(guesser).bearer(TOKEN).on(api), 429, "too_many_requests");
        assertEquals(List.of(), relay.requests());

        // another address is served meanwhile, and sees the failures counted
        JsonObject stats = object(Call.get("/relay/stats").from(Call.elsewhere("192.0.2.8")).bearer(TOKEN).on(api));
        assertEquals(10, stats.get("authFailures").getAsLong());
        assertEquals(1, log.messages(Level.WARNING).stream().filter(m -> m.contains("192.0.2.7")).count(), log.messages(Level.WARNING).toString());

        advanceSeconds(45);
        assertEquals("15", Call.get("/relay/stats").from(guesser).bearer(TOKEN).on(api).headers().get("Retry-After"));
        advanceSeconds(15);
        assertEquals(200, Call.get("/relay/stats").from(guesser).bearer(TOKEN).on(api).status());
        // a fresh start: one more wrong token is not a lock-out
        assertError(Call.get("/relay/stats").from(guesser).bearer("again").on(api), 401, "unauthorized");
        assertEquals(200, Call.get("/relay/stats").from(guesser).bearer(TOKEN).on(api).status());
    }

    @Test
    void failuresOlderThanAMinuteNoLongerCount() {
        api.useToken(TOKEN);
        InetAddress guesser = Call.elsewhere("192.0.2.7");
        for (int i = 0; i < 9; i++) {
            Call.get("/relay/stats").from(guesser).bearer("wrong").on(api);
        }
        advanceSeconds(61);
        for (int i = 0; i < 9; i++) {
            assertError(Call.get("/relay/stats").from(guesser).bearer("wrong").on(api), 401, "unauthorized");
        }
        assertEquals(200, Call.get("/relay/stats").from(guesser).bearer(TOKEN).on(api).status());
        assertEquals(18, object(Call.get("/relay/stats").bearer(TOKEN).on(api)).get("authFailures").getAsLong());
    }

    @Test
    void aRequestWithoutATokenIsNoGuess() {
        api.useToken(TOKEN);
        for (int i = 0; i < 20; i++) {
            assertError(Call.get("/relay/stats").on(api), 401, "unauthorized");
        }
        assertEquals(200, Call.get("/relay/stats").bearer(TOKEN).on(api).status());
        assertEquals(0, object(Call.get("/relay/stats").bearer(TOKEN).on(api)).get("authFailures").getAsLong());
    }

    @Test
    void theAddressesOfOneIpv6NetworkShareTheirCount() {
        api.useToken(TOKEN);
        for (int i = 1; i <= 10; i++) {
            Call.get("/relay/stats").from(Call.elsewhere("2001:db8:1:2::" + Integer.toHexString(i))).bearer("wrong").on(api);
        }
        assertError(Call.get("/relay/stats").from(Call.elsewhere("2001:db8:1:2::ffff")).bearer(TOKEN).on(api), 429,
                "too_many_requests");
        assertEquals(200, Call.get("/relay/stats").from(Call.elsewhere("2001:db8:1:3::1")).bearer(TOKEN).on(api).status());
    }

    // --- item 11: every error is JSON

    @Test
    void aMalformedQueryIs400() {
        for (String query : new String[] {"user=%zz", "user=%", "user=%2", "user=%C3%28", "user=%FF", "user=a%40example.com&user=b%40example.com",
                "%zz=1"}) {
            assertError(Call.get("/relay/channels").query(query).on(api), 400, "invalid_query");
        }
        assertError(Call.get("/relay/stats").query("x=%zz").on(api), 400, "invalid_query");
    }

    @Test
    void aWellFormedQueryIsDecoded() {
        Call.allocate(ALICE).on(api);
        Call.allocate("{\"user\": \"bob@example.com\"}").on(api);
        for (String query : new String[] {"user=alice%40example.com", "user=alice@example.com", "user=Alice@Example.com&x=1",
                "user=alice%40example.com&", "&user=alice@example.com", "x&user=alice@example.com"}) {
            ApiResponse r = Call.get("/relay/channels").query(query).on(api);
            assertEquals(200, r.status(), query + " " + r.body());
            assertEquals(1, JsonParser.parseString(r.body()).getAsJsonArray().size(), query);
        }
        assertEquals(2, JsonParser.parseString(Call.get("/relay/channels").query("").on(api).body()).getAsJsonArray().size());
        assertError(Call.get("/relay/channels").query("user=").on(api), 400, "invalid_user");
        assertError(Call.get("/relay/channels").query("user=a+b%40example.com").on(api), 400, "invalid_user");
    }

    @Test
    void everyMalformedBodyIs400InvalidJsonAndReachesNoRelay() {
        String[] bodies = {"", "{\"user\": \"alice@example.com\", \"user\": \"bob@example.com\"}",
            "{\"user\": \"alice@example.com\", \"x\": {\"k\": 1, \"k\": 2}}", "{\"user\": \"alice@example.com\"", "null"};
        for (String body : bodies) {
            assertError(Call.allocate(body).on(api), 400, "invalid_json");
        }
        byte[] notUtf8 = {'{', '"', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '@', 'x', '.', 'y', '"', '}'};
        assertError(Call.allocate("").body(notUtf8).on(api), 400, "invalid_json");
        byte[] utf16 = ALICE.getBytes(StandardCharsets.UTF_16);
        assertError(Call.allocate("").body(utf16).on(api), 400, "invalid_json");
        assertError(Call.allocate("").body(new byte[RestApi.MAX_BODY + 1]).on(api), 400, "body_too_large");
        assertEquals(List.of(), relay.requests());
    }

    @Test
    void aRelayThatFailsInAnyWayIs503WithoutDetails() {
        for (Throwable t : new Throwable[] {new NullPointerException("internals"), new NoClassDefFoundError("relay/core/Internals"),
                new AssertionError("internals")}) {
            relay.failWith(request -> {
                if (t instanceof RuntimeException e) {
                    throw e;
                }
                throw (Error) t;
            });
            ApiResponse r = Call.allocate(ALICE).on(api);
            assertError(r, 503, "unavailable");
            assertFalse(r.body().contains("internals"), r.body());
        }
    }
}
