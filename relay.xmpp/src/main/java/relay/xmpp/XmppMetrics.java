package relay.xmpp;

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
 * The component's families on relay.http's {@code /metrics}: {@code relay_xmpp_requests_total{result}}
 * (every result written from the start), {@code relay_xmpp_connected} (1 while the component is
 * authenticated with its server) and {@code relay_xmpp_link_lost_total{cause}} (authenticated links
 * lost: {@code closed} by the server, {@code silent} past a ping, broken by an {@code error}).
 */
@Component(service = MultiCollector.class)
public class XmppMetrics implements MultiCollector {

    private final XmppComponent component;

    /** @param component the component whose counters are shown */
    @Activate
    public XmppMetrics(@Reference(name = "component") XmppComponent component) {
        this.component = component;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("relay_xmpp_requests")
                .help("IQ requests the XMPP component answered, by result");
        component.results().forEach((k, v) -> requests.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("result", k)).value(v).build()));
        boolean connected = "connected".equals(component.status().get("state"));
        CounterSnapshot.Builder lost = CounterSnapshot.builder().name("relay_xmpp_link_lost")
                .help("Links to the XMPP server lost after the handshake, by cause: closed, silent (no answer to a ping), error");
        component.linkLosses().forEach((k, v) -> lost.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("cause", k)).value(v).build()));
        return MetricSnapshots.of(requests.build(), lost.build(), GaugeSnapshot.builder().name("relay_xmpp_connected")
                .help("1 while the XMPP component is connected and authenticated to its server")
                .dataPoint(GaugeDataPointSnapshot.builder().value(connected ? 1 : 0).build()).build());
    }
}
