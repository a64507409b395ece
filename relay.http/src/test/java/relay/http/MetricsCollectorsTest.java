package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import relay.api.RelayStats;
import relay.testing.Exposition;
import relay.testing.Exposition.Format;

/**
 * Other bundles' families ({@link MultiCollector} services, relay.signal's) are written after the
 * relay's; one that throws, or that reuses a name already written, is left out and the scrape goes on.
 */
class MetricsCollectorsTest {

    private static final RelayStats STATS = RelayStats.builder().started(Instant.EPOCH).liveChannels(3).build();

    private static MultiCollector gauge(String name, double value) {
        return () -> MetricSnapshots.of(GaugeSnapshot.builder().name(name).help("a test gauge")
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build());
    }

    @Test
    void anotherBundlesFamiliesAreWrittenBesideTheRelays() {
        MultiCollector frames = () -> MetricSnapshots.of(CounterSnapshot.builder().name("signal_frames").help("frames")
                .dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("type", "join")).value(4).build()).build());
        String body = new Metrics().scrape(STATS, 0, null, List.of(gauge("signal_connections", 2), frames)).body();
        Exposition e = Exposition.parse(body, Format.PROMETHEUS);
        assertEquals(3, e.value("relay_channels_live"), 0);
        assertEquals(2, e.value("signal_connections"), 0);
        assertEquals(4, e.value("signal_frames_total", "type", "join"), 0);
    }

    @Test
    void aCollectorThatThrowsOrRepeatsANameIsLeftOutAndTheScrapeGoesOn() {
        MultiCollector broken = () -> {
            throw new IllegalStateException("a bug of another bundle");
        };
        String body = new Metrics().scrape(STATS, 0, null,
                List.of(broken, gauge("relay_channels_live", 99), gauge("signal_sessions", 1))).body();
        Exposition e = Exposition.parse(body, Format.PROMETHEUS);
        assertEquals(3, e.value("relay_channels_live"), 0);
        assertEquals(1, e.value("signal_sessions"), 0);
        assertTrue(e.find("relay_channels_live").size() == 1, body);
    }
}
