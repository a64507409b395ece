package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayCountersTest {

    /** GET /relay/stats as relay.http writes it. */
    private static final String STATS = """
            {"started":"2026-11-22T05:32:22.790Z","uptime":12,"liveChannels":100,"allocated":101,
             "destroyed":{"REQUESTED":1},"denied":{},"invalid":0,
             "forwarded":{"packets":%d,"bytes":8600000,"dropped":{%s}},
             "portsFree":19600,"portsTotal":20000,"draining":false,"maxChannels":20000,"ioLoopFaults":0}
            """;

    private static RelayCounters read(long packets, String dropped) {
        return RelayCounters.of(Json.parseObject(STATS.formatted(packets, dropped)));
    }

    @Test
    void forwardedAndDroppedByReasonAreRead() {
        RelayCounters c = read(50_000, "\"NOT_LATCHED\":300,\"FOREIGN_SOURCE\":7");
        assertEquals(50_000, c.forwardedPackets());
        assertEquals(Map.of("NOT_LATCHED", 300L, "FOREIGN_SOURCE", 7L), c.dropped());
        assertEquals(307, c.droppedTotal());
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadings() {
        RelayCounters before = read(50_000, "\"NOT_LATCHED\":300");
        RelayCounters after = read(300_000, "\"NOT_LATCHED\":300,\"FOREIGN_SOURCE\":125000,\"LOOP\":125000");
        RelayCounters window = after.minus(before);
        assertEquals(250_000, window.forwardedPackets());
        assertEquals(Map.of("FOREIGN_SOURCE", 125_000L, "LOOP", 125_000L), window.dropped(),
                "a reason that did not move is left out");
        assertEquals(250_000, window.droppedTotal());
        assertEquals(0, read(1, "").minus(read(1, "")).droppedTotal());
    }

    @Test
    void statsWithoutForwardedHaveNoCountersAndMalformedOnesAreErrors() {
        assertNull(RelayCounters.of(Map.of("channels", 3L)), "a stand-in or another relay's API");
        assertThrows(IllegalArgumentException.class,
                () -> RelayCounters.of(Json.parseObject("{\"forwarded\":{\"packets\":\"many\"}}")));
        assertThrows(IllegalArgumentException.class,
                () -> RelayCounters.of(Json.parseObject("{\"forwarded\":{\"packets\":1,\"dropped\":[]}}")));
        assertThrows(IllegalArgumentException.class,
                () -> RelayCounters.of(Json.parseObject("{\"forwarded\":{\"packets\":1,\"dropped\":{\"LOOP\":1.5}}}")));
        assertEquals(0, RelayCounters.of(Json.parseObject("{\"forwarded\":{\"packets\":1}}")).droppedTotal());
    }
}
