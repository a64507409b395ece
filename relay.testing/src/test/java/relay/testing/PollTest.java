package relay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void waitsUntilTheConditionHolds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertTrue(Poll.eventually(() -> calls.incrementAndGet() == 3));
        assertEquals("third", Poll.until("the third call", () -> calls.incrementAndGet() == 6 ? "third" : null));
        Poll.until("the ninth call", () -> calls.incrementAndGet() == 9);
        assertEquals(9, calls.get());
    }
}
