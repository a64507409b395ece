package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.testing.ComponentConfig;

class WhitelistSettingsTest {

    /** The settings of a configuration, as DS hands it to the component. */
    private static WhitelistSettings from(Map<String, ?> properties) {
        return WhitelistSettings.from(ComponentConfig.of(WhitelistConfig.class, properties));
    }

    @Test
    void noPropertiesMeansDenyAllWithoutRevoke() {
        assertEquals(WhitelistSettings.DENY_ALL, from(Map.of()));
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
        // DS hands the number over as the text "42", which is not a domain
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("domains", 42)));
        assertTrue(e.getMessage().startsWith("domains: '42' is not a domain"), e.getMessage());
    }

    @Test
    void anEntryThatIsNotADomainIsRefusedNamingTheKeyAndTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("domains", "example.org, not a domain!")));
        assertTrue(e.getMessage().startsWith("domains: 'not a domain!' is not a domain"), e.getMessage());
    }

    @Test
    void revokeIsABooleanOrItsTextAsTheCoreReadsIt() {
        assertTrue(from(Map.of("revoke", true)).revoke());
        assertTrue(from(Map.of("revoke", " TRUE ")).revoke());
        assertTrue(from(Map.of("revoke", "on")).revoke());
        assertFalse(from(Map.of("revoke", "false")).revoke());
        assertFalse(from(Map.of("revoke", "No")).revoke());
        assertFalse(from(Map.of("revoke", "")).revoke());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("revoke", "sometimes")));
        assertEquals("revoke must be true or false, was 'sometimes'", e.getMessage());
    }

    private static String domains(Object value) {
        return from(Map.of("domains", value)).domains().toString();
    }
}
