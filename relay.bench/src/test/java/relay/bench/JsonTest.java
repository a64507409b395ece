package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesAChannelAnswer() {
        Map<String, Object> ch = Json.parseObject("""
                {"id":"q7Zx-9","owner":"bench0@localhost","host":"127.0.0.1","portA":20000,"portB":20002,
                 "rtcp":true,"expire":60,"state":"ALLOCATED","created":"2026-11-22T10:00:00Z","ratio":-1.5e2,
                 "tags":[],"none":null}""");
        assertEquals("q7Zx-9", ch.get("id"));
        assertEquals(20000L, ch.get("portA"));
        assertEquals(Boolean.TRUE, ch.get("rtcp"));
        assertEquals(-150.0, ch.get("ratio"));
        assertEquals(List.of(), ch.get("tags"));
        assertTrue(ch.containsKey("none"));
        assertNull(ch.get("none"));
    }

    @Test
    void parsesEscapesAndNesting() {
        Object v = Json.parse(" [ {\"a\" : \"x\\\"y\\\\z\\n\\u00e9\\/\"}, [1, 2.5, false] ] ");
        assertEquals(List.of(Map.of("a", "x\"y\\z\n\u00e9/"), List.of(1L, 2.5, false)), v);
    }

    @Test
    void malformedJsonIsAClearError() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1} x", "tru", "\"\\q\"",
                "{a:1}", "-", "\"abc"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("bad JSON"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("object"), e.getMessage());
    }

    @Test
    void writesACompactLineWithRoundedDecimals() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "fixed");
        m.put("flows", 100);
        m.put("loss_pct", 0.012345);
        m.put("cpu", 9.0);
        m.put("nan", Double.NaN);
        m.put("none", null);
        m.put("ok", true);
        m.put("lat", Map.of("p50", 18.25));
        m.put("list", Arrays.asList(1L, "a\"b\n"));
        assertEquals("{\"mode\":\"fixed\",\"flows\":100,\"loss_pct\":0.012,\"cpu\":9,\"nan\":null,\"none\":null,"
                + "\"ok\":true,\"lat\":{\"p50\":18.25},\"list\":[1,\"a\\\"b\\n\"]}", Json.write(m));
    }

    @Test
    void whatIsWrittenParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \u0001");
        m.put("n", 123456789012L);
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void unknownTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
