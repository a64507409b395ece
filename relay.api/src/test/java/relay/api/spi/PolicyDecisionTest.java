package relay.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PolicyDecisionTest {

    @Test
    void allowIsOneValueAndDenialsCompareByWhatTheySay() {
        assertSame(PolicyDecision.allow(), PolicyDecision.allow());
        assertTrue(PolicyDecision.allow().allowed());
        assertNull(PolicyDecision.allow().message());
        assertEquals(PolicyDecision.deny("no"), PolicyDecision.deny("no"));
        assertNotEquals(PolicyDecision.deny("no"), PolicyDecision.deny("no", Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(3), PolicyDecision.deny("no", Duration.ofSeconds(3)).retryAfter());
        assertEquals("allow", PolicyDecision.allow().toString());
        assertEquals("deny: no (retry after PT3S)", PolicyDecision.deny("no", Duration.ofSeconds(3)).toString());
        assertThrows(NullPointerException.class, () -> PolicyDecision.deny(null));
        assertThrows(NullPointerException.class, () -> PolicyDecision.deny("no", null));
    }
}
