package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves. */
class RateLimiterTest {

    private static final long MS = 1_000_000L;

    @Test
    void aBurstPassesThenOneFramePerTokenWithTheWaitToTheNext() {
        RateLimiter r = new RateLimiter(5, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, r.acquire(10, 5, 0), "frame " + i + " of the burst");
        }
        long wait = r.acquire(10, 5, 0);
        assertEquals(100 * MS, wait, "at 10/s the next token comes in 100 ms");
        assertEquals(40 * MS, r.acquire(10, 5, 60 * MS), "60 ms later, 40 ms to go");
        assertEquals(0, r.acquire(10, 5, 100 * MS));
        assertTrue(r.acquire(10, 5, 100 * MS) > 0);
    }

    @Test
    void theBucketRefillsToTheBurstAndNoMore() {
        RateLimiter r = new RateLimiter(3, 0);
        for (int i = 0; i < 3; i++) {
            r.acquire(1, 3, 0);
        }
        long later = 3600_000 * MS; // an hour idle
        for (int i = 0; i < 3; i++) {
            assertEquals(0, r.acquire(1, 3, later));
        }
        assertTrue(r.acquire(1, 3, later) > 0);
    }

    @Test
    void abuseIsMoreThanABurstOfRefusalsInARowAndAnAllowedFrameForgivesIt() {
        RateLimiter r = new RateLimiter(2, 0);
        r.acquire(1, 2, 0);
        r.acquire(1, 2, 0);
        for (int i = 0; i < 2; i++) {
            assertTrue(r.acquire(1, 2, 0) > 0);
        }
        assertFalse(r.abusive(2));
        r.acquire(1, 2, 0);
        assertTrue(r.abusive(2));
        assertEquals(0, r.acquire(1, 2, 1000 * MS));
        assertFalse(r.abusive(2));
    }
}
