package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DomainWhitelistTest {

    @Test
    void anyMatchingEntryAllows() {
        DomainWhitelist list = DomainWhitelist.parse(List.of("example.com", "*.example.org"));
        assertTrue(list.allows("example.com"));
        assertTrue(list.allows("a.example.org"));
        assertFalse(list.allows("example.org"));
        assertFalse(list.allows("example.net"));
    }

    @Test
    void theEmptyListAllowsNobody() {
        DomainWhitelist list = DomainWhitelist.parse(List.of());
        assertTrue(list.isEmpty());
        assertFalse(list.allows("example.com"));
    }

    @Test
    void spellingsOfOneEntryAreKeptOnce() {
        DomainWhitelist list = DomainWhitelist.parse(List.of("Bücher.example", "xn--bcher-kva.example", "a.example"));
        assertEquals("xn--bcher-kva.example, a.example", list.toString());
        assertEquals(DomainWhitelist.parse(List.of("xn--bcher-kva.example", "A.example")), list);
    }

    @Test
    void everyInvalidEntryIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainWhitelist.parse(List.of("example.com", "bad domain", "x@example.org")));
        assertTrue(e.getMessage().contains("'bad domain'"), e.getMessage());
        assertTrue(e.getMessage().contains("'x@example.org'"), e.getMessage());
        assertFalse(e.getMessage().contains("'example.com'"), e.getMessage());
    }
}
