package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void emptyHistogramSaysZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.quantile(0.5));
        assertEquals(0, h.max());
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.quantile(0.5));
        assertEquals(99, h.quantile(0.99));
        assertEquals(100, h.quantile(1.0));
        assertEquals(1, h.min());
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long us = 1; us <= 100_000; us++) {
            h.record(us * 1000);                              // 1 us .. 100 ms in ns
        }
        assertClose(50_000_000, h.quantile(0.5));
        assertClose(99_000_000, h.quantile(0.99));
        assertClose(99_900_000, h.quantile(0.999));
        assertEquals(100_000_000, h.max());
    }

    @Test
    void aFewOutliersMoveOnlyTheHighPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 9_990; i++) {
            h.record(20_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(5_000_000);
        }
        assertClose(20_000, h.quantile(0.5));
        assertClose(20_000, h.quantile(0.99));
        assertClose(5_000_000, h.quantile(0.9995));
    }

    @Test
    void bucketsTileTheRangeWithoutGaps() {
        for (int i = 0; i < 4000; i++) {
            long lo = LatencyHistogram.lowerBound(i);
            assertEquals(i, LatencyHistogram.index(lo), "lower bound of bucket " + i);
            assertEquals(i, LatencyHistogram.index(lo + LatencyHistogram.width(i) - 1), "upper end of bucket " + i);
            assertEquals(lo + LatencyHistogram.width(i), LatencyHistogram.lowerBound(i + 1), "next bucket starts after " + i);
        }
    }

    @Test
    void resolutionHoldsForRandomValues() {
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long v = 128 + (long) (r.nextDouble() * 1e10);
            int idx = LatencyHistogram.index(v);
            double relWidth = (double) LatencyHistogram.width(idx) / LatencyHistogram.lowerBound(idx);
            assertTrue(relWidth <= 1.0 / 128 + 1e-12, "bucket of " + v + " is " + relWidth + " wide");
        }
    }

    @Test
    void negativeAndHugeValuesAreClamped() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(2, h.count());
        assertEquals(0, h.quantile(0.5));
        assertEquals(LatencyHistogram.MAX_VALUE, h.max());
    }

    @Test
    void clearForgetsEverything() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1000);
        h.clear();
        assertEquals(0, h.count());
        assertEquals(0, h.quantile(0.99));
    }

    @Test
    void quantileOutsideZeroToOneIsAnError() {
        LatencyHistogram h = new LatencyHistogram();
        assertThrows(IllegalArgumentException.class, () -> h.quantile(0));
        assertThrows(IllegalArgumentException.class, () -> h.quantile(1.5));
        assertThrows(IllegalArgumentException.class, () -> h.quantile(Double.NaN));
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected / 100.0, "expected about " + expected + ", got " + actual);
    }
}
