package relay.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The main panels of {@code grafana/relay-dashboard.json}, computed from a sequence of scrapes as
 * the dashboard's queries compute them: gauges as read, counters as {@code rate(...[window])},
 * latency as {@code histogram_quantile} of the buckets' rate. Titles are the dashboard's.
 */
final class DashboardPanels {

    /** How a panel's values are written on its axis. */
    enum Unit { COUNT, PER_SECOND, BITS_PER_SECOND, RATIO, SECONDS }

    /** One line of a panel: a value per scrape (NaN where there is none). */
    record Series(String name, double[] values) {
    }

    record Panel(String title, Unit unit, double[] seconds, List<Series> series) {
    }

    private DashboardPanels() {
    }

    /** The panels, in the dashboard's order; {@code window} is the rate window in seconds. */
    static List<Panel> of(List<MetricsScrape> scrapes, double window) {
        double[] t = scrapes.stream().mapToDouble(MetricsScrape::seconds).toArray();
        List<Panel> p = new ArrayList<>();
        p.add(new Panel("Live channels and capacity", Unit.COUNT, t, List.of(
                gauge("live", scrapes, s -> s.sum("relay_channels_live")),
                gauge("capacity", scrapes, s -> s.sum("relay_channels_capacity")))));
        List<Series> alloc = new ArrayList<>();
        alloc.add(rate("allocated", scrapes, window, s -> s.sum("relay_channels_allocated_total")));
        for (String key : keys(scrapes, "relay_allocations_denied_total", "reason", "policy")) {
            alloc.add(rate("denied " + key, scrapes, window,
                    s -> s.sumBy("relay_allocations_denied_total", "reason", "policy").getOrDefault(key, Double.NaN)));
        }
        p.add(new Panel("Allocations and denials per second", Unit.PER_SECOND, t, alloc));
        p.add(new Panel("Allocation latency", Unit.SECONDS, t, List.of(
                latency("p50", scrapes, window, 0.5),
                latency("p99", scrapes, window, 0.99),
                mean("mean", scrapes, window))));
        p.add(new Panel("Forwarded packets per second", Unit.PER_SECOND, t, List.of(
                rate("forwarded", scrapes, window, s -> s.sum("relay_forwarded_packets_total")))));
        p.add(new Panel("Forwarded bit rate", Unit.BITS_PER_SECOND, t, List.of(
                rate("forwarded", scrapes, window, s -> s.sum("relay_forwarded_bytes_total") * 8))));
        List<Series> drops = new ArrayList<>();
        for (String key : keys(scrapes, "relay_dropped_packets_total", "reason")) {
            drops.add(rate(key, scrapes, window,
                    s -> s.sumBy("relay_dropped_packets_total", "reason").getOrDefault(key, Double.NaN)));
        }
        p.add(new Panel("Dropped packets per second, by reason", Unit.PER_SECOND, t, drops));
        p.add(new Panel("Port pool", Unit.COUNT, t, List.of(
                gauge("in use", scrapes, s -> s.sum("relay_ports_total") - s.sum("relay_ports_free")),
                gauge("total", scrapes, s -> s.sum("relay_ports_total")))));
        List<Series> busy = new ArrayList<>();
        for (String key : keys(scrapes, "relay_io_loop_busy_ratio", "loop")) {
            busy.add(gauge("loop " + key, scrapes,
                    s -> s.sumBy("relay_io_loop_busy_ratio", "loop").getOrDefault(key, Double.NaN)));
        }
        p.add(new Panel("I/O loop busy ratio", Unit.RATIO, t, busy));
        return p;
    }

    /** The label combinations a metric shows in any scrape, in order of first appearance. */
    static Set<String> keys(List<MetricsScrape> scrapes, String name, String... labels) {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricsScrape s : scrapes) {
            keys.addAll(s.sumBy(name, labels).keySet());
        }
        return keys;
    }

    static Series gauge(String name, List<MetricsScrape> scrapes, ToDoubleFunction<MetricsScrape> f) {
        return new Series(name, scrapes.stream().mapToDouble(f).toArray());
    }

    /** The first scrape of the window that ends at scrape {@code i}: at most {@code window} seconds before it. */
    static int windowStart(List<MetricsScrape> scrapes, int i, double window) {
        int j = i;
        while (j > 0 && scrapes.get(i).seconds() - scrapes.get(j - 1).seconds() <= window + 1e-9) {
            j--;
        }
        return j;
    }

    /**
     * {@code rate(counter[window])}: the increase over the scrapes of the window (a counter that
     * went down was reset) divided by the time they span; NaN until a window holds two scrapes.
     */
    static Series rate(String name, List<MetricsScrape> scrapes, double window, ToDoubleFunction<MetricsScrape> f) {
        double[] v = new double[scrapes.size()];
        double[] raw = scrapes.stream().mapToDouble(f).toArray();
        for (int i = 0; i < v.length; i++) {
            int j = windowStart(scrapes, i, window);
            if (j == i) {
                v[i] = Double.NaN;
                continue;
            }
            double increase = 0;
            for (int k = j + 1; k <= i; k++) {
                increase += MetricsScrape.rate(raw[k - 1], raw[k], 1);
            }
            v[i] = increase / (scrapes.get(i).seconds() - scrapes.get(j).seconds());
        }
        return new Series(name, v);
    }

    /** {@code histogram_quantile(q, sum by (le) (rate(relay_allocation_seconds_bucket[window])))}. */
    static Series latency(String name, List<MetricsScrape> scrapes, double window, double q) {
        double[] v = new double[scrapes.size()];
        for (int i = 0; i < v.length; i++) {
            int j = windowStart(scrapes, i, window);
            v[i] = j == i ? Double.NaN : MetricsScrape.quantile(q, MetricsScrape.increase(
                    scrapes.get(j).buckets("relay_allocation_seconds"),
                    scrapes.get(i).buckets("relay_allocation_seconds")));
        }
        return new Series(name, v);
    }

    /** rate of {@code relay_allocation_seconds_sum} over rate of its {@code _count}: the mean latency. */
    static Series mean(String name, List<MetricsScrape> scrapes, double window) {
        double[] sum = rate("", scrapes, window, s -> s.sum("relay_allocation_seconds_sum")).values();
        double[] count = rate("", scrapes, window, s -> s.sum("relay_allocation_seconds_count")).values();
        double[] v = new double[sum.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = count[i] > 0 ? sum[i] / count[i] : Double.NaN;
        }
        return new Series(name, v);
    }
}
