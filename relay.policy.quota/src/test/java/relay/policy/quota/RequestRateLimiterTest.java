package relay.policy.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import relay.api.BareJid;

/** The sliding window on a clock the test moves by hand. */
class RequestRateLimiterTest {

    private static final BareJid ALICE = BareJid.parse("alice@example.com");
    private static final BareJid BOB = BareJid.parse("bob@example.com");

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RequestRateLimiter limiter = new RequestRateLimiter(now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void allowsUpToTheLimitThenSaysWhenTheOldestLeavesTheWindow() {
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 3));
        limiter.record(ALICE, 3);
        advance(Duration.ofSeconds(10));
        limiter.record(ALICE, 3);
        advance(Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 3));
        limiter.record(ALICE, 3);
        advance(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(35), limiter.waitBefore(ALICE, 3));
        advance(Duration.ofSeconds(35));
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 3));
        limiter.record(ALICE, 3);
        assertEquals(Duration.ofSeconds(10), limiter.waitBefore(ALICE, 3));
    }

    @Test
    void usersAreCountedApart() {
        limiter.record(ALICE, 1);
        assertEquals(Duration.ofMinutes(1), limiter.waitBefore(ALICE, 1));
        assertEquals(Duration.ZERO, limiter.waitBefore(BOB, 1));
    }

    @Test
    void aLoweredLimitWaitsUntilEnoughAllocationsLeftTheWindow() {
        for (int i = 0; i < 5; i++) {
            limiter.record(ALICE, 5);
            advance(Duration.ofSeconds(1));
        }
        // Times 0..4 s, now 5 s: with a limit of 2, the allocations at 0, 1, 2 and 3 s must leave first.
        assertEquals(Duration.ofSeconds(58), limiter.waitBefore(ALICE, 2));
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 6));
    }

    @Test
    void aUserKeepsNoMoreTimesThanTheLimit() {
        for (int i = 0; i < 10; i++) {
            limiter.record(ALICE, 2);
        }
        advance(Duration.ofSeconds(1));
        // Had all ten been kept, a limit of 10 would be reached now.
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 10));
    }

    @Test
    void quietUsersAreForgotten() {
        for (int i = 0; i < 100; i++) {
            limiter.record(BareJid.parse("user" + i + "@example.com"), 5);
        }
        assertEquals(100, limiter.trackedUsers());
        advance(Duration.ofSeconds(30));
        limiter.record(ALICE, 5);
        assertEquals(101, limiter.trackedUsers());
        advance(Duration.ofSeconds(31));
        // The sweep runs on the next call once a window has passed since the last one.
        limiter.waitBefore(BOB, 5);
        assertEquals(1, limiter.trackedUsers());
        advance(Duration.ofSeconds(30));
        limiter.waitBefore(ALICE, 5);
        assertEquals(0, limiter.trackedUsers());
    }

    @Test
    void clearForgetsEverything() {
        limiter.record(ALICE, 1);
        limiter.clear();
        assertEquals(0, limiter.trackedUsers());
        assertEquals(Duration.ZERO, limiter.waitBefore(ALICE, 1));
    }
}
