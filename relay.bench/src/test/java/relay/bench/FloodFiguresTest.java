package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FloodFiguresTest {

    @Test
    void cpuPerDropIsWhatTheFloodWindowCostsBeyondItsForwarding() {
        // no flood: 1 s of CPU for 250,000 forwarded = 4 us each; flood: 2 s, of which 250,000 x 4 us
        // forwarding, so 1 s for 250,000 drops = 4 us each
        FloodFigures f = FloodFigures.of(1.0, 250_000, 2.0, 250_000, 250_000, 50, 60, 90);
        assertEquals(4.0, f.cpuUsPerForwarded(), 1e-9);
        assertEquals(4.0, f.cpuUsPerDropped(), 1e-9);
        assertEquals(1.0, f.dropToForwardCpu(), 1e-9);
        assertTrue(f.cpuTargetMet(), "equal meets 'at most'");
        assertEquals(1.8, f.p99Ratio(), 1e-9);
        assertEquals(1.2, f.p99ControlRatio(), 1e-9);
        assertTrue(f.p99TargetMet());
        assertEquals("pass", FloodFigures.verdict(f.p99TargetMet()));
    }

    @Test
    void fewerForwardedUnderTheFloodAreChargedAtTheNoFloodPrice() {
        // the flood window forwarded only 200,000 (loss): 2.4 s - 0.8 s = 1.6 s for 100,000 drops
        FloodFigures f = FloodFigures.of(1.0, 250_000, 2.4, 200_000, 100_000, 50, 50, 101);
        assertEquals(16.0, f.cpuUsPerDropped(), 1e-9);
        assertEquals(4.0, f.dropToForwardCpu(), 1e-9);
        assertFalse(f.cpuTargetMet());
        assertFalse(f.p99TargetMet(), "101 us is more than twice 50 us");
        assertEquals("fail", FloodFigures.verdict(f.cpuTargetMet()));
    }

    @Test
    void roundsAreSummedUpByTheirMedians() {
        FloodFigures a = FloodFigures.of(1.0, 250_000, 2.0, 250_000, 250_000, 50, 60, 90);     // 4 / 4 us, 1.8x
        FloodFigures b = FloodFigures.of(1.0, 200_000, 1.5, 200_000, 250_000, 40, 40, 400);    // 5 / 2 us, 10x
        FloodFigures c = FloodFigures.of(1.0, 250_000, 1.5, 250_000, 0, 60, 50, 100);          // 4 / - us, 1.7x
        FloodFigures m = FloodFigures.median(List.of(a, b, c));
        assertEquals(4.0, m.cpuUsPerForwarded(), 1e-9);
        assertEquals(3.0, m.cpuUsPerDropped(), 1e-9, "of 4 and 2 (c dropped nothing): the mean of the middle two");
        assertEquals(50.0, m.p99NoFloodUs(), 1e-9);
        assertEquals(100.0, m.p99FloodUs(), 1e-9);
        assertEquals(2.0, m.p99Ratio(), 1e-9, "the ratio of the medians");
        assertTrue(m.p99TargetMet(), "one bad round does not decide");
        assertEquals(7.0, FloodFigures.median(new double[] {9, Double.NaN, 7, 1}), 1e-9);
        assertTrue(Double.isNaN(FloodFigures.median(new double[] {Double.NaN})));
        assertTrue(Double.isNaN(FloodFigures.median(new double[0])));
        Map<String, Object> j = new LinkedHashMap<>();
        m.putJson(j);
        assertEquals("pass", j.get("target_p99"));
        assertEquals("pass", j.get("target_cpu_per_drop"));
        assertEquals(0.75, (Double) j.get("drop_to_fwd_cpu"), 1e-9);
    }

    @Test
    void whatCannotBeComputedIsNotJudged() {
        FloodFigures noDrops = FloodFigures.of(1.0, 250_000, 1.0, 250_000, 0, 50, 50, 50);
        assertTrue(Double.isNaN(noDrops.cpuUsPerDropped()));
        assertNull(noDrops.cpuTargetMet());
        assertTrue(noDrops.p99TargetMet());
        FloodFigures noCpu = FloodFigures.of(Double.NaN, 250_000, Double.NaN, 250_000, 10, 0, 0, 0);
        assertNull(noCpu.cpuTargetMet(), "a running relay without --pid has no CPU figures");
        assertNull(noCpu.p99TargetMet(), "no latency sample in the no-flood window");
        FloodFigures nothingForwarded = FloodFigures.of(1.0, 0, 1.0, 0, 10, 50, 50, 50);
        assertTrue(Double.isNaN(nothingForwarded.cpuUsPerForwarded()));
        assertNull(nothingForwarded.cpuTargetMet());
        assertNull(FloodFigures.verdict(null));
    }
}
