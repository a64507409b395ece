package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.testing.ComponentConfig;

class HttpSettingsTest {

    /** The settings of a configuration, as DS hands it to the components. */
    private static HttpSettings from(Map<String, ?> properties) {
        return HttpSettings.from(ComponentConfig.of(HttpConfig.class, properties));
    }

    @Test
    void absentKeysTakeTheDefaults() {
        assertEquals(new HttpSettings("127.0.0.1", 8480, ""), from(Map.of()));
    }

    @Test
    void acceptsStringsFromFilesAndNumbersFromConfigAdmin() {
        assertEquals(new HttpSettings("0.0.0.0", 9000, "s3cret"),
                from(Map.of("address", " 0.0.0.0 ", "port", "9000", "token", "s3cret ")));
        assertEquals(new HttpSettings("::1", 18600, ""), from(Map.of("address", "::1", "port", 18600)));
        assertEquals("relay.example.com", from(Map.of("address", "relay.example.com")).address());
    }

    @Test
    void refusesABadPortNamingKeyAndValue() {
        for (Object bad : new Object[] {"abc", "0", "65536", -1, "80.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> from(Map.of("port", bad)));
            assertTrue(e.getMessage().contains("port = '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void refusesWhatIsNeitherAnAddressNorAHostName() {
        for (String bad : new String[] {"", "300.1.1.1", "1.2.3", "bad host", "-x.example", "::g", "a..b"}) {
            assertThrows(IllegalArgumentException.class, () -> from(Map.of("address", bad)), bad);
        }
    }

    @Test
    void knowsWhetherOnlyThisHostCanReachIt() {
        assertTrue(from(Map.of("address", "127.0.0.1")).loopbackOnly());
        assertTrue(from(Map.of("address", "localhost")).loopbackOnly());
        assertFalse(from(Map.of("address", "0.0.0.0")).loopbackOnly());
    }

    @Test
    void aNewTokenKeepsTheListener() {
        HttpSettings a = from(Map.of("port", "18601"));
        assertTrue(a.sameListener(from(Map.of("port", "18601", "token", "t"))));
        assertFalse(a.sameListener(from(Map.of("port", "18602"))));
    }
}
