package relay.signal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The node's families on relay.http's {@code /metrics} (relay.http writes every
 * {@link MultiCollector} service after the relay's own): {@code signal_connections},
 * {@code signal_sessions}, {@code signal_frames_total{type}}, {@code signal_refused_total{reason}},
 * every label value written from the start. Read from {@link Stats} without a lock.
 */
@Component(service = MultiCollector.class)
public class SignalMetrics implements MultiCollector {

    private final SignalNode node;

    /** @param node the node whose counters are shown */
    @Activate
    public SignalMetrics(@Reference(name = "node") SignalNode node) {
        this.node = node;
    }

    @Override
    public MetricSnapshots collect() {
        Stats s = node.hub().stats;
        return MetricSnapshots.of(
                gauge("signal_connections", "Open WebSocket connections of /signal", s.connections.get()),
                gauge("signal_sessions", "Live endpoint sessions (connected, or within their resume window)",
                        s.sessions.get()),
                counter("signal_frames", "Frames received from clients, by type", "type", s.frames()),
                counter("signal_refused", "Frames, hellos and connections refused, by reason", "reason", s.refused()));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(label, k)).value(v).build()));
        return b.build();
    }
}
