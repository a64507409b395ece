package relay.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One answer of {@code GET /metrics} in the Prometheus text format, as samples, and the arithmetic
 * the dashboard's queries do on a sequence of them: sums by label, rates of counters and
 * {@code histogram_quantile} over histogram buckets.
 */
record MetricsScrape(double seconds, List<MetricsScrape.Sample> samples) {

    /** One sample line: a metric name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {

        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    /** Parses the text exposition format (comments and blank lines skipped, timestamps ignored). */
    static MetricsScrape parse(double seconds, String text) {
        List<Sample> samples = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("metrics line " + n + " is not a sample: " + l, e);
            }
        }
        return new MetricsScrape(seconds, List.copyOf(samples));
    }

    private static Sample sample(String l) {
        int i = 0;
        while (i < l.length() && l.charAt(i) != '{' && l.charAt(i) != ' ') {
            i++;
        }
        String name = l.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < l.length() && l.charAt(i) == '{') {
            i++;
            while (true) {
                while (l.charAt(i) == ' ' || l.charAt(i) == ',') {
                    i++;
                }
                if (l.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = l.indexOf('=', i);
                String key = l.substring(i, eq).strip();
                i = eq + 1;
                if (l.charAt(i) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                i++;
                StringBuilder v = new StringBuilder();
                while (l.charAt(i) != '"') {
                    char c = l.charAt(i++);
                    if (c == '\\') {
                        char e = l.charAt(i++);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                i++;
                labels.put(key, v.toString());
            }
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        return new Sample(name, Collections.unmodifiableMap(labels), value(rest[0]));
    }

    private static double value(String v) {
        return switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** The sum of every sample of {@code name} whose labels pass {@code filter}; NaN when there is none. */
    double sum(String name, Predicate<Sample> filter) {
        double s = 0;
        boolean any = false;
        for (Sample x : samples) {
            if (x.name.equals(name) && filter.test(x)) {
                s += x.value;
                any = true;
            }
        }
        return any ? s : Double.NaN;
    }

    double sum(String name) {
        return sum(name, x -> true);
    }

    /**
     * {@code sum by (labels) (name)}: one value per combination of the labels' values, the key
     * being the non-empty values joined by a slash, in order of first appearance.
     */
    Map<String, Double> sumBy(String name, String... labels) {
        Map<String, Double> by = new LinkedHashMap<>();
        for (Sample x : samples) {
            if (x.name.equals(name)) {
                List<String> key = new ArrayList<>();
                for (String l : labels) {
                    key.add(x.label(l));
                }
                key.removeIf(String::isEmpty);
                by.merge(String.join("/", key), x.value, Double::sum);
            }
        }
        return by;
    }

    /** {@code sum by (le) (name_bucket)}: cumulative counts by upper bound, in order. */
    TreeMap<Double, Double> buckets(String histogram) {
        TreeMap<Double, Double> b = new TreeMap<>();
        for (Sample x : samples) {
            if (x.name.equals(histogram + "_bucket")) {
                b.merge(value(x.label("le")), x.value, Double::sum);
            }
        }
        return b;
    }

    /**
     * The per-second rate of a counter between two readings, as Prometheus counts it: a value that
     * went down is a counter reset, after which the new value is all the increase. NaN when either
     * reading is missing or no time passed.
     */
    static double rate(double before, double after, double seconds) {
        if (Double.isNaN(before) || Double.isNaN(after) || !(seconds > 0)) {
            return Double.NaN;
        }
        double increase = after >= before ? after - before : after;
        return increase / seconds;
    }

    /** The increase of each bucket between two readings (a reset counts from zero, as in {@link #rate}). */
    static TreeMap<Double, Double> increase(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
        TreeMap<Double, Double> d = new TreeMap<>();
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            double b = before.getOrDefault(e.getKey(), 0.0);
            d.put(e.getKey(), e.getValue() >= b ? e.getValue() - b : e.getValue());
        }
        return d;
    }

    /**
     * Prometheus' {@code histogram_quantile}: the bucket where the q-th observation falls, linearly
     * interpolated within it (the first bucket from 0); an answer in the +Inf bucket is the highest
     * finite bound. NaN when the buckets hold no observation or there is no +Inf bucket.
     */
    static double quantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty() || cumulative.lastKey() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double total = cumulative.lastEntry().getValue();
        if (!(total > 0)) {
            return Double.NaN;
        }
        if (q <= 0) {
            return 0;
        }
        if (q >= 1) {
            return cumulative.size() < 2 ? Double.NaN : cumulative.lowerKey(Double.POSITIVE_INFINITY);
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double upper = e.getKey();
            double count = e.getValue();
            if (count >= rank) {
                if (upper == Double.POSITIVE_INFINITY) {
                    return lowerBound;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? upper : lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = upper;
            lowerCount = count;
        }
        return Double.NaN;
    }
}
