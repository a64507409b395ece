package relay.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.Histogram;
import relay.api.RelayDeniedException;
import relay.api.RelayStats;

/**
 * {@code GET /metrics}: the relay's figures ({@link RelayStats}, read once per scrape, without a
 * lock), the API's own counter of wrong tokens, and the JVM's and the process's standard metrics
 * (Prometheus client_java's JVM instrumentation), written by client_java in the Prometheus text
 * format 0.0.4, or in OpenMetrics 1.0.0 when the scraper's {@code Accept} prefers it.
 *
 * <p>Names follow Prometheus conventions: {@code relay_} first, base units (seconds, bytes,
 * ratios), counters ending in {@code _total}, label names and values in lower case. Every label
 * value of a reason is written, zero or not, so that a rate is defined from the first scrape.
 */
final class Metrics {

    /** What a Prometheus text scrape answers with. */
    static final String PROMETHEUS_TEXT = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** What an OpenMetrics scrape answers with. */
    static final String OPENMETRICS_TEXT = OpenMetricsTextFormatWriter.CONTENT_TYPE;

    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPENMETRICS = OpenMetricsTextFormatWriter.create();

    /** The JVM's and the process's metrics; the relay's are made per scrape from its stats. */
    private final PrometheusRegistry jvm = new PrometheusRegistry();

    Metrics() {
        // One by one rather than JvmMetrics.register(), which keeps every registry it saw in a static
        // set (this bundle could never be unloaded), and without the collectors that leave listeners on
        // the platform's MXBeans (memory pool allocation) or run a diagnostic command per scrape (native memory).
        JvmThreadsMetrics.builder().register(jvm);
        JvmBufferPoolMetrics.builder().register(jvm);
        JvmClassLoadingMetrics.builder().register(jvm);
        JvmCompilationMetrics.builder().register(jvm);
        JvmGarbageCollectorMetrics.builder().register(jvm);
        JvmMemoryMetrics.builder().register(jvm);
        JvmRuntimeInfoMetric.builder().register(jvm);
        ProcessMetrics.builder().register(jvm);
    }

    /**
     * One scrape's answer.
     *
     * @param contentType the exposition format's media type, with its version and charset
     * @param body the exposition
     */
    record Scrape(String contentType, String body) {
    }

    /**
     * @param stats the relay's figures now
     * @param authFailures wrong tokens the API has seen since it started
     * @param accept the scraper's {@code Accept} header, or null
     * @return the exposition, in the format {@code accept} prefers
     */
    Scrape scrape(RelayStats stats, long authFailures, String accept) {
        return scrape(stats, authFailures, accept, List.of());
    }

    /**
     * @param others other bundles' families (relay.signal's), added after the relay's; a collector
     *        that throws, or repeats a name already written, is left out of this scrape
     */
    Scrape scrape(RelayStats stats, long authFailures, String accept, List<MultiCollector> others) {
        List<MetricSnapshot> all = new ArrayList<>(relay(stats, authFailures));
        jvm.scrape().forEach(all::add);
        java.util.Set<String> names = new java.util.HashSet<>();
        all.forEach(m -> names.add(m.getMetadata().getPrometheusName()));
        for (MultiCollector c : others) {
            try {
                List<MetricSnapshot> theirs = new ArrayList<>();
                c.collect().forEach(theirs::add);
                if (theirs.stream().allMatch(m -> names.add(m.getMetadata().getPrometheusName()))) {
                    all.addAll(theirs);
                }
            } catch (RuntimeException e) {
                // another bundle's bug never costs the relay its scrape
            }
        }
        boolean openMetrics = prefersOpenMetrics(accept);
        ExpositionFormatWriter writer = openMetrics ? OPENMETRICS : PROMETHEUS;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, new MetricSnapshots(all), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Scrape(openMetrics ? OPENMETRICS_TEXT : PROMETHEUS_TEXT, out.toString(StandardCharsets.UTF_8));
    }

    /** The relay's own metric families, from one stats snapshot. */
    static List<MetricSnapshot> relay(RelayStats s, long authFailures) {
        List<MetricSnapshot> m = new ArrayList<>();
        m.add(gauge("relay_channels_live", "Channels alive now", s.liveChannels()));
        m.add(gauge("relay_channels_capacity",
                "Channels the relay can hold now: max.channels, or fewer when the port range holds fewer",
                s.effectiveCapacity()));
        m.add(gauge("relay_channels_max", "The configured max.channels", s.maxChannels()));
        m.add(gauge("relay_draining", "1 while the relay refuses new channels (drain mode), else 0", s.draining() ? 1 : 0));
        m.add(counter("relay_channels_allocated", "Channels allocated since the relay started", null, s.allocated()));

        CounterSnapshot.Builder destroyed = CounterSnapshot.builder().name("relay_channels_destroyed")
                .help("Channels destroyed since the relay started, by reason");
        for (DestroyReason r : DestroyReason.values()) {
            destroyed.dataPoint(point(count(s.destroyed(), r), "reason", label(r)));
        }
        m.add(destroyed.build());

        // reason="policy" is split by the denying policy's name; the other reasons have policy=""
        CounterSnapshot.Builder denied = CounterSnapshot.builder().name("relay_allocations_denied")
                .help("Allocation requests denied since the relay started, by reason (policy: the denying policy)");
        for (RelayDeniedException.Reason r : RelayDeniedException.Reason.values()) {
            if (r == RelayDeniedException.Reason.POLICY && !s.deniedByPolicy().isEmpty()) {
                s.deniedByPolicy().forEach((policy, n) -> denied.dataPoint(point(n, "reason", label(r), "policy", policy)));
            } else {
                denied.dataPoint(point(count(s.denied(), r), "reason", label(r), "policy", ""));
            }
        }
        m.add(denied.build());

        m.add(counter("relay_invalid_requests", "Allocation requests that reached the relay malformed", null, s.invalid()));
        m.add(counter("relay_forwarded_packets", "Datagrams forwarded since the relay started, both directions of every channel",
                null, s.forwarded().packets()));
        m.add(counter("relay_forwarded_bytes", "Payload bytes forwarded since the relay started", Unit.BYTES,
                s.forwarded().bytes()));

        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("relay_dropped_packets")
                .help("Datagrams received and not forwarded since the relay started, by reason");
        for (DropReason r : DropReason.values()) {
            dropped.dataPoint(point(count(s.forwarded().dropped(), r), "reason", label(r)));
        }
        m.add(dropped.build());

        m.add(gauge("relay_ports_free", "UDP ports free in the pool now", s.portsFree()));
        m.add(gauge("relay_ports_total", "UDP ports the pool manages", s.portsTotal()));
        m.add(histogram("relay_allocation_seconds",
                "How long allocations took, from the request to the answer, policies included", s.allocationSeconds()));

        GaugeSnapshot.Builder busy = GaugeSnapshot.builder().name("relay_io_loop_busy_ratio").unit(Unit.RATIO)
                .help("Share of the last second each I/O loop spent working rather than waiting");
        List<Double> loops = s.ioLoopBusy();
        for (int i = 0; i < loops.size(); i++) {
            busy.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("loop", Integer.toString(i)))
                    .value(loops.get(i)).build());
        }
        m.add(busy.build());

        m.add(counter("relay_io_loop_faults", "I/O loops that died and were replaced since the relay started", null,
                s.ioLoopFaults()));
        m.add(counter("relay_listener_events_dropped",
                "Channel events a listener could not take because its queue was full", null, s.listenerDrops()));
        m.add(counter("relay_listener_failures", "Channel events whose listener threw", null, s.listenerFailures()));
        m.add(counter("relay_http_auth_failures", "Requests to the HTTP API with a wrong token since it started", null,
                authFailures));
        return m;
    }

    /**
     * Whether the scraper prefers OpenMetrics: an {@code application/openmetrics-text} range (of
     * version 1.0.0 or 0.0.1, or none named) whose quality is above zero and no lower than that of
     * {@code text/plain}. Prometheus itself sends OpenMetrics first; a browser or curl gets text.
     *
     * @param accept the {@code Accept} header, or null
     * @return whether to answer in OpenMetrics
     */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        double openMetrics = 0;
        double text = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            String version = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = p.substring(eq + 1).strip();
                if (name.equals("q")) {
                    try {
                        q = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else if (name.equals("version")) {
                    version = value;
                }
            }
            if (!(q > 0)) {
                continue;
            }
            if (type.equals("application/openmetrics-text")
                    && (version == null || version.equals("1.0.0") || version.equals("0.0.1"))) {
                openMetrics = Math.max(openMetrics, q);
            } else if (type.equals("text/plain")) {
                text = Math.max(text, q);
            }
        }
        return openMetrics > 0 && openMetrics >= text;
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static <K extends Enum<K>> long count(Map<K, Long> counts, K key) {
        Long n = counts.get(key);
        return n == null ? 0 : n;
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, Unit unit, long value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterDataPointSnapshot point(long value, String... labels) {
        return CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
    }

    /** A relay.api histogram (bounds and per-bucket counts, the last above every bound) as a Prometheus one. */
    private static HistogramSnapshot histogram(String name, String help, Histogram h) {
        double[] bounds = h.bounds();
        long[] counts = h.counts();
        double[] upper = new double[bounds.length + 1];
        System.arraycopy(bounds, 0, upper, 0, bounds.length);
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS)
                .dataPoint(HistogramDataPointSnapshot.builder().classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                        .sum(h.sum()).build())
                .build();
    }
}
