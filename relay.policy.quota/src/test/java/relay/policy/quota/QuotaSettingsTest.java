package relay.policy.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.testing.ComponentConfig;

class QuotaSettingsTest {

    /** The settings of a configuration, as DS hands it to the component. */
    private static QuotaSettings from(Map<String, ?> properties) {
        return QuotaSettings.from(ComponentConfig.of(QuotaConfig.class, properties));
    }

    @Test
    void defaultsAreFourChannelsAndNoRateLimit() {
        QuotaSettings s = from(Map.of());
        assertEquals(QuotaSettings.DEFAULTS, s);
        assertEquals(4, s.maxChannelsPerUser());
        assertFalse(s.rateLimited());
    }

    @Test
    void numbersMayBeNumbersOrText() {
        QuotaSettings s = from(Map.of("max.channels.per.user", " 7 ", "max.requests.per.minute", 30L));
        assertEquals(7, s.maxChannelsPerUser());
        assertEquals(30, s.maxRequestsPerMinute());
        assertTrue(s.rateLimited());
    }

    @Test
    void overridesReadTheSameAsArrayOrCommaSeparatedText() {
        Map<String, Object> text = Map.of("overrides", "alice@example.com=10, example.org=2");
        Map<String, Object> array = Map.of("overrides", new String[] {"alice@example.com=10", "example.org=2"});
        assertEquals(from(text), from(array));
        QuotaSettings s = from(text);
        assertEquals(10, s.channelLimit(BareJid.parse("alice@example.com")));
        assertEquals(2, s.channelLimit(BareJid.parse("bob@example.org")));
        assertEquals(4, s.channelLimit(BareJid.parse("bob@example.com")));
    }

    @Test
    void aNegativeNumberIsRefusedNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("max.channels.per.user", -1)));
        assertEquals("max.channels.per.user must be from 0 to 2147483647, was -1", e.getMessage());
    }

    @Test
    void somethingThatIsNotAWholeNumberIsRefusedNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("max.requests.per.minute", "ten")));
        assertEquals("max.requests.per.minute must be a whole number, was 'ten'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> from(Map.of("max.requests.per.minute", 2.5)));
        assertEquals("max.requests.per.minute must be a whole number, was '2.5'", e.getMessage());
    }
}
