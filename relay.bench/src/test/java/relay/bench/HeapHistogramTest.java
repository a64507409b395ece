package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {

    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          5000         400000  [B (java.base@17.0.15)
               2:          4000          96000  java.lang.String (java.base@17.0.15)
               3:            10            800  relay.core.Channel
            Total         9010         496800
            """;

    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          7000         600000  [B (java.base@17.0.15)
               2:          4100          98400  java.lang.String (java.base@17.0.15)
               3:          1010          80800  relay.core.Channel
               4:          2000          64000  sun.nio.ch.DatagramChannelImpl (java.base@17.0.15)
            Total        14110         843200
            """;

    @Test
    void parsesTotalsAndClasses() {
        HeapHistogram h = HeapHistogram.parse(AFTER);
        assertEquals(843_200, h.totalBytes);
        assertEquals(14_110, h.totalInstances);
        assertEquals(new HeapHistogram.Row(1010, 80_800), h.byClass.get("relay.core.Channel"));
        assertEquals(4, h.byClass.size());
    }

    @Test
    void growthPerChannelIsSortedByBytes() {
        List<Map<String, Object>> g = HeapHistogram.parse(AFTER).growth(HeapHistogram.parse(BEFORE), 1000, 3);
        assertEquals(3, g.size());
        assertEquals("[B", g.get(0).get("class"));
        assertEquals(200.0, g.get(0).get("bytes_per_channel"));
        assertEquals("relay.core.Channel", g.get(1).get("class"));
        assertEquals(80.0, g.get(1).get("bytes_per_channel"));
        assertEquals(1.0, g.get(1).get("instances_per_channel"));
        assertEquals("sun.nio.ch.DatagramChannelImpl", g.get(2).get("class"));
    }

    @Test
    void textWithoutTotalIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapHistogram.parse("12345:\nCould not attach\n"));
        assertTrue(e.getMessage().contains("Total"), e.getMessage());
    }

    @Test
    void readsTheHistogramOfARealJvm() throws Exception {
        HeapHistogram h = HeapHistogram.of(ProcessHandle.current().pid());
        assertTrue(h.totalBytes > 100_000, "a JVM running JUnit holds more than 100 kB: " + h.totalBytes);
        assertTrue(h.byClass.containsKey("java.lang.String"));
    }
}
