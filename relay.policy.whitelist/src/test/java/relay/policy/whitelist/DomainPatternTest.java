package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import relay.api.BareJid;

class DomainPatternTest {

    private static boolean admits(String entry, String jid) {
        return DomainPattern.parse(entry).matches(BareJid.parse(jid).domain());
    }

    @Test
    void exactDomainMatchesItselfInAnyCase() {
        assertTrue(admits("example.com", "alice@example.com"));
        assertTrue(admits("Example.COM", "alice@EXAMPLE.com/phone"));
        assertTrue(admits("example.com.", "alice@example.com"));
        assertFalse(admits("example.com", "alice@a.example.com"));
        assertFalse(admits("example.com", "alice@example.org"));
        assertFalse(admits("example.com", "alice@badexample.com"));
    }

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthButNotTheDomainItself() {
        assertTrue(admits("*.example.com", "alice@a.example.com"));
        assertTrue(admits("*.example.com", "alice@a.b.example.com"));
        assertFalse(admits("*.example.com", "alice@example.com"));
        assertFalse(admits("*.example.com", "alice@badexample.com"));
        assertFalse(admits("*.example.com", "alice@a.badexample.com"));
        assertFalse(admits("*.example.com", "alice@example.com.evil.org"));
    }

    @Test
    void unicodeAndAsciiSpellingsOfOneDomainMatchEachOther() {
        assertTrue(admits("bücher.example", "alice@xn--bcher-kva.example"));
        assertTrue(admits("xn--bcher-kva.example", "alice@BÜCHER.example"));
        assertTrue(admits("*.Bücher.example", "alice@shop.xn--bcher-kva.example"));
        assertEquals("*.xn--bcher-kva.example", DomainPattern.parse(" *.BÜCHER.example ").toString());
    }

    @Test
    void ipLiteralsMatchExactly() {
        assertTrue(admits("[::1]", "alice@[::1]"));
        assertTrue(admits("192.0.2.7", "alice@192.0.2.7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "*.", "not a domain", "alice@example.com", "example.com/res", "exa*mple.com",
        "a.*.example.com", "a..example.com", "-bad.example", "*.[::1]", "[::1", "42", "1.2.3", "300.1.1.1",
        "*.192.0.2.7"})
    void anEntryThatIsNotADomainIsRefusedWithItsName(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainPattern.parse(entry));
        assertTrue(e.getMessage().startsWith("'" + entry + "' is not a domain"), e.getMessage());
    }
}
