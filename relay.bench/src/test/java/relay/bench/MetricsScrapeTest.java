package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricsScrapeTest {

    /** A piece of GET /metrics as relay.http writes it (text format 0.0.4). */
    private static final String TEXT = """
            # HELP relay_channels_live Channels open now.
            # TYPE relay_channels_live gauge
            relay_channels_live 100.0
            # TYPE relay_forwarded_packets_total counter
            relay_forwarded_packets_total %d
            relay_dropped_packets_total{reason="not_latched"} 300.0
            relay_dropped_packets_total{reason="foreign_source"} 7.0
            relay_allocations_denied_total{policy="",reason="capacity"} 2.0
            relay_allocations_denied_total{policy="quota",reason="policy"} 3.0
            relay_io_loop_busy_ratio{loop="0"} 0.25
            relay_io_loop_busy_ratio{loop="1"} 0.5
            relay_allocation_seconds_bucket{le="0.001"} %d
            relay_allocation_seconds_bucket{le="0.01"} %d
            relay_allocation_seconds_bucket{le="+Inf"} %d
            relay_allocation_seconds_count %d
            relay_allocation_seconds_sum 0.5
            jvm_info{runtime="OpenJDK \\"Runtime\\" Environment",vendor="x"} 1 1700000000000
            """;

    private static MetricsScrape scrape(double t, long packets, long b1, long b2, long inf) {
        return MetricsScrape.parse(t, TEXT.formatted(packets, b1, b2, inf, inf));
    }

    @Test
    void samplesAreReadWithTheirLabels() {
        MetricsScrape s = scrape(0, 5000, 10, 20, 30);
        assertEquals(100.0, s.sum("relay_channels_live"));
        assertEquals(5000.0, s.sum("relay_forwarded_packets_total"));
        assertEquals(307.0, s.sum("relay_dropped_packets_total"));
        assertEquals(0.75, s.sum("relay_io_loop_busy_ratio"));
        assertEquals(0.5, s.sum("relay_io_loop_busy_ratio", x -> x.label("loop").equals("1")));
        assertTrue(Double.isNaN(s.sum("relay_no_such_metric")), "a metric that is not there has no value");
        MetricsScrape.Sample info = s.samples().stream().filter(x -> x.name().equals("jvm_info")).findFirst()
                .orElseThrow();
        assertEquals("OpenJDK \"Runtime\" Environment", info.label("runtime"), "escaped quotes in a label value");
        assertEquals(1.0, info.value(), "the timestamp after the value is ignored");
    }

    @Test
    void sumByKeysOnTheNonEmptyLabelValues() {
        MetricsScrape s = scrape(0, 0, 0, 0, 0);
        assertEquals(Map.of("not_latched", 300.0, "foreign_source", 7.0),
                s.sumBy("relay_dropped_packets_total", "reason"));
        assertEquals(Map.of("capacity", 2.0, "policy/quota", 3.0),
                s.sumBy("relay_allocations_denied_total", "reason", "policy"));
    }

    @Test
    void bucketsIncludeInfinity() {
        TreeMap<Double, Double> b = scrape(0, 0, 10, 20, 30).buckets("relay_allocation_seconds");
        assertEquals(List.of(0.001, 0.01, Double.POSITIVE_INFINITY), List.copyOf(b.keySet()));
        assertEquals(30.0, b.get(Double.POSITIVE_INFINITY));
    }

    @Test
    void aLineThatIsNoSampleIsRefusedWithItsNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsScrape.parse(0, "relay_channels_live 1\nrelay_x{a=b} 2\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void rateIsTheIncreasePerSecondAndSurvivesAReset() {
        assertEquals(500.0, MetricsScrape.rate(1000, 1500, 1));
        assertEquals(250.0, MetricsScrape.rate(1000, 1500, 2));
        assertEquals(40.0, MetricsScrape.rate(1000, 40, 1), "after a reset the new value is all the increase");
        assertTrue(Double.isNaN(MetricsScrape.rate(Double.NaN, 1, 1)));
        assertTrue(Double.isNaN(MetricsScrape.rate(1, 2, 0)));
    }

    @Test
    void quantileInterpolatesWithinTheBucket() {
        TreeMap<Double, Double> b = new TreeMap<>(Map.of(0.001, 10.0, 0.01, 20.0, Double.POSITIVE_INFINITY, 20.0));
        // the median (rank 10) is the top of the first bucket, interpolated from 0
        assertEquals(0.001, MetricsScrape.quantile(0.5, b), 1e-12);
        assertEquals(0.0005, MetricsScrape.quantile(0.25, b), 1e-12);
        // rank 15 of 20: half way through the second bucket
        assertEquals(0.0055, MetricsScrape.quantile(0.75, b), 1e-12);
        assertEquals(0.01, MetricsScrape.quantile(0.99 + 0.01, b), 1e-12, "q = 1 is the highest finite bound");
    }

    @Test
    void quantileInTheInfBucketIsTheHighestFiniteBound() {
        TreeMap<Double, Double> b = new TreeMap<>(Map.of(0.001, 1.0, 0.01, 2.0, Double.POSITIVE_INFINITY, 10.0));
        assertEquals(0.01, MetricsScrape.quantile(0.99, b), 1e-12);
    }

    @Test
    void quantileOfNoObservationsIsNaN() {
        TreeMap<Double, Double> b = new TreeMap<>(Map.of(0.001, 0.0, Double.POSITIVE_INFINITY, 0.0));
        assertTrue(Double.isNaN(MetricsScrape.quantile(0.5, b)));
        assertTrue(Double.isNaN(MetricsScrape.quantile(0.5, new TreeMap<>(Map.of(0.001, 3.0)))),
                "no +Inf bucket");
    }

    @Test
    void increaseOfBucketsIsPerBound() {
        TreeMap<Double, Double> d = MetricsScrape.increase(scrape(0, 0, 10, 20, 30).buckets("relay_allocation_seconds"),
                scrape(1, 0, 15, 28, 40).buckets("relay_allocation_seconds"));
        assertEquals(Map.of(0.001, 5.0, 0.01, 8.0, Double.POSITIVE_INFINITY, 10.0), d);
    }

    @Test
    void panelsComputeRatesOverTheWindowAndQuantilesOfTheBucketsIncrease() {
        List<MetricsScrape> s = List.of(scrape(0, 0, 0, 0, 0), scrape(1, 1000, 0, 0, 0), scrape(2, 3000, 10, 10, 10),
                scrape(3, 6000, 10, 20, 20), scrape(4, 100, 10, 20, 20));
        double[] pps1 = DashboardPanels.rate("", s, 1, x -> x.sum("relay_forwarded_packets_total")).values();
        assertTrue(Double.isNaN(pps1[0]), "no rate before two scrapes");
        assertEquals(1000.0, pps1[1]);
        assertEquals(2000.0, pps1[2]);
        assertEquals(3000.0, pps1[3]);
        assertEquals(100.0, pps1[4], "a restarted relay counts from zero");
        double[] pps2 = DashboardPanels.rate("", s, 2, x -> x.sum("relay_forwarded_packets_total")).values();
        assertEquals(1500.0, pps2[2]);
        assertEquals(2500.0, pps2[3]);

        double[] p50 = DashboardPanels.latency("", s, 1, 0.5).values();
        assertTrue(Double.isNaN(p50[1]), "no allocation in the window: no latency");
        assertEquals(0.0005, p50[2], 1e-12);
        assertEquals(0.0055, p50[3], 1e-12, "the ten of the window are all in the second bucket");
        double[] mean = DashboardPanels.mean("", s, 1).values();
        assertTrue(Double.isNaN(mean[1]));

        List<DashboardPanels.Panel> panels = DashboardPanels.of(s, 4);
        assertEquals(List.of("Live channels and capacity", "Allocations and denials per second", "Allocation latency",
                "Forwarded packets per second", "Forwarded bit rate", "Dropped packets per second, by reason",
                "Port pool", "I/O loop busy ratio"), panels.stream().map(DashboardPanels.Panel::title).toList());
        assertEquals(List.of("loop 0", "loop 1"), panels.get(7).series().stream().map(DashboardPanels.Series::name)
                .toList());
    }
}
