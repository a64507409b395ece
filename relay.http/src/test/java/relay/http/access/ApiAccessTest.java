package relay.http.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The rules other bundles apply through the exported class, as the REST API does. */
class ApiAccessTest {

    private static final String TOKEN = "a-token-of-twenty-chars";
    private final AtomicLong now = new AtomicLong(1_000);
    private final ApiAccess access = new ApiAccess(now::get);

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void withoutATokenOnlyThisHostAndALoopbackHostAreServed() throws Exception {
        assertNull(access.check(ip("127.0.0.1"), "localhost:8480", null));
        assertEquals(401, access.check(ip("192.0.2.7"), "localhost", null).status());
        ApiAccess.Refusal r = access.check(ip("::1"), "rebound.example:8480", null);
        assertEquals(403, r.status());
        assertEquals("forbidden_host", r.error());
    }

    @Test
    void tenWrongTokensInAMinuteShutTheClientOutForAMinuteRightTokenOrNot() throws Exception {
        access.useToken(TOKEN);
        InetAddress guesser = ip("2001:db8::1");
        assertNull(access.check(guesser, "relay.example", "Bearer " + TOKEN));
        assertEquals(401, access.check(guesser, "relay.example", null).status());
        assertEquals(0, access.failures(), "no header is no guess");
        for (int i = 1; i < ApiAccess.MAX_FAILURES; i++) {
            assertFalse(access.check(guesser, "relay.example", "Bearer wrong").shutOut());
        }
        assertTrue(access.check(guesser, "relay.example", "Bearer wrong").shutOut());
        ApiAccess.Refusal r = access.check(ip("2001:db8::2"), "relay.example", "Bearer " + TOKEN); // the same /64
        assertEquals(429, r.status());
        assertEquals(60, r.retryAfter());
        assertNull(access.check(ip("192.0.2.8"), "relay.example", "Bearer " + TOKEN));
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        assertNull(access.check(guesser, "relay.example", "Bearer " + TOKEN));
        assertEquals(ApiAccess.MAX_FAILURES, access.failures());
    }

    @Test
    void aTokenServesWhenEmptyOrSixteenPrintableAsciiCharacters() {
        assertTrue(ApiAccess.acceptable(""));
        assertTrue(ApiAccess.acceptable("x".repeat(16)));
        assertFalse(ApiAccess.acceptable("x".repeat(15)));
        assertFalse(ApiAccess.acceptable("x".repeat(16) + " y"));
        assertFalse(ApiAccess.acceptable("é".repeat(16)));
    }
}
