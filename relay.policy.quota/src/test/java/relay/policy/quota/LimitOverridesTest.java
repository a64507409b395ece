package relay.policy.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import relay.api.BareJid;

class LimitOverridesTest {

    private static OptionalInt limit(LimitOverrides o, String jid) {
        return o.limitFor(BareJid.parse(jid));
    }

    @Test
    void aUsersOwnEntryWinsOverItsDomain() {
        LimitOverrides o = LimitOverrides.parse(List.of("example.org=2", "alice@example.org=10"));
        assertEquals(OptionalInt.of(10), limit(o, "alice@example.org"));
        assertEquals(OptionalInt.of(2), limit(o, "bob@example.org"));
        assertEquals(OptionalInt.of(2), limit(o, "example.org"));
        assertEquals(OptionalInt.empty(), limit(o, "bob@a.example.org"));
        assertEquals(OptionalInt.empty(), limit(o, "alice@example.com"));
    }

    @Test
    void keysAreNormalisedLikeJids() {
        LimitOverrides o = LimitOverrides.parse(List.of(" Alice@Example.COM = 7 ", "BÜCHER.example=0"));
        assertEquals(OptionalInt.of(7), limit(o, "alice@example.com/phone"));
        assertEquals(OptionalInt.of(0), limit(o, "x@xn--bcher-kva.example"));
        assertEquals("alice@example.com=7, xn--bcher-kva.example=0", o.toString());
    }

    @Test
    void noEntriesMeansNoOverrides() {
        assertSame(LimitOverrides.NONE, LimitOverrides.parse(List.of()));
        assertTrue(LimitOverrides.NONE.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "=3", "example.org=", "example.org=x", "example.org=-1",
        "example.org=2.5", "not a domain=1", "alice@example.com/phone=1", "example.org=99999999999"})
    void anInvalidEntryIsRefusedWithItsText(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LimitOverrides.parse(List.of("example.net=1", entry)));
        assertTrue(e.getMessage().startsWith("override '" + entry + "': "), e.getMessage());
    }

    @Test
    void aKeyGivenTwiceInAnySpellingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LimitOverrides.parse(List.of("example.org=1", "EXAMPLE.org=2")));
        assertEquals("override 'EXAMPLE.org=2': example.org is overridden more than once", e.getMessage());
    }
}
