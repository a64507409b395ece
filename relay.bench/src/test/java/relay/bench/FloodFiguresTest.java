package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
