package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WhitelistSettingsTest {

    @Test
    void noPropertiesMeansDenyAllWithoutRevoke() {
        assertEquals(WhitelistSettings.DENY_ALL, WhitelistSettings.from(Map.of()));
    }

    @Test
    void domainsReadTheSameAsArrayCollectionOrCommaSeparatedText() {
        String expected = "a.example, b.example, c.example";
        assertEquals(expected, domains(" a.example, b.example ,c.example,"));
        assertEquals(expected, domains(new String[] {"a.example", "b.example, c.example"}));
        assertEquals(expected, domains(List.of("a.example", "b.example", "c.example")));
        assertEquals("", domains(""));
        assertEquals("", domains(new String[0]));
    }

    @Test
    void aDomainsValueOfAnotherTypeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WhitelistSettings.from(Map.of("domains", 42)));
        assertTrue(e.getMessage().startsWith("domains must be a list of text"), e.getMessage());
    }

    @Test
    void anEntryThatIsNotADomainIsRefusedNamingTheKeyAndTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WhitelistSettings.from(Map.of("domains", "example.org, not a domain!")));
        assertTrue(e.getMessage().startsWith("domains: 'not a domain!' is not a domain"), e.getMessage());
    }

    @Test
    void revokeIsABooleanOrItsTextAsTheCoreReadsIt() {
        assertTrue(WhitelistSettings.from(Map.of("revoke", true)).revoke());
        assertTrue(WhitelistSettings.from(Map.of("revoke", " TRUE ")).revoke());
        assertTrue(WhitelistSettings.from(Map.of("revoke", "on")).revoke());
        assertFalse(WhitelistSettings.from(Map.of("revoke", "false")).revoke());
        assertFalse(WhitelistSettings.from(Map.of("revoke", "No")).revoke());
        assertFalse(WhitelistSettings.from(Map.of("revoke", "")).revoke());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WhitelistSettings.from(Map.of("revoke", "sometimes")));
        assertEquals("revoke must be true or false, was 'sometimes'", e.getMessage());
    }

    private static String domains(Object value) {
        return WhitelistSettings.from(Map.of("domains", value)).domains().toString();
    }
}
