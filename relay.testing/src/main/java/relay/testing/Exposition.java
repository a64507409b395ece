package relay.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metrics exposition read strictly, as a scraper reads it: the Prometheus text format 0.0.4 or
 * OpenMetrics 1.0.0 (https://prometheus.io/docs/instrumenting/exposition_formats/, the OpenMetrics
 * 1.0 specification). {@link #parse} fails with the line at fault when:
 *
 * <ul>
 * <li>a line is neither a comment ({@code # HELP}, {@code # TYPE}, in OpenMetrics also {@code # UNIT}
 * and {@code # EOF}) nor a sample {@code name{label="value",...} value [timestamp]} with a valid
 * metric name, valid label names, escaped label values, a label named twice or a value that is not a
 * number ({@code +Inf}, {@code -Inf} and {@code NaN} included);</li>
 * <li>a family's {@code TYPE} comes twice, after its samples, or names an unknown type; a family's
 * samples are not together;</li>
 * <li>a counter's sample does not end in {@code _total} (OpenMetrics also allows {@code _created});
 * a histogram lacks {@code _count}, {@code _sum} or the {@code le="+Inf"} bucket, its buckets are not
 * cumulative in ascending {@code le}, or the {@code +Inf} bucket differs from {@code _count};</li>
 * <li>OpenMetrics: an empty line, or anything but one {@code # EOF} as the last line.</li>
 * </ul>
 */
public final class Exposition {

    /** The two formats. */
    public enum Format {
        /** Prometheus text format 0.0.4. */
        PROMETHEUS,
        /** OpenMetrics 1.0.0. */
        OPENMETRICS
    }

    /**
     * One sample.
     *
     * @param name the sample's name ({@code x_total}, {@code x_bucket}, ...)
     * @param labels its labels, by name
     * @param value its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(Inf|inf|NaN|nan|(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped", "unknown",
            "info", "stateset", "gaugehistogram");

    private final Format format;
    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private Exposition(Format format) {
        this.format = format;
    }

    /** @return the format it was read as */
    public Format format() {
        return format;
    }

    /** @return each family's type, by the name its {@code TYPE} line gives */
    public Map<String, String> types() {
        return Collections.unmodifiableMap(types);
    }

    /** @return each family's help text, by name */
    public Map<String, String> help() {
        return Collections.unmodifiableMap(help);
    }

    /** @return every sample, in order */
    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** @return the names of every sample */
    public Set<String> sampleNames() {
        Set<String> names = new java.util.TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /**
     * @param name a sample name
     * @param labels label names and values, alternately: the sample must have these (and may have more)
     * @return the value of the one sample that matches
     * @throws AssertionError if none or more than one matches
     */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in " + sampleNames());
        }
        return found.get(0).value();
    }

    /**
     * @param name a sample name
     * @param labels label names and values, alternately, that the samples must have
     * @return the matching samples
     */
    public List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }

    /**
     * @param text the exposition
     * @param format the format to read it as
     * @return what it holds
     * @throws AssertionError naming the line, if it breaks a rule of the format
     */
    public static Exposition parse(String text, Format format) {
        Exposition e = new Exposition(format);
        String[] lines = text.split("\n", -1);
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        int end = lines.length - 1; // after the last line feed: nothing
        String current = null; // the family whose samples are being read
        Set<String> finished = new java.util.HashSet<>();
        boolean eof = false;
        for (int i = 0; i < end; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (eof) {
                throw new AssertionError(where + "after # EOF");
            }
            if (line.isEmpty()) {
                if (format == Format.OPENMETRICS) {
                    throw new AssertionError(where + "an empty line in OpenMetrics");
                }
                continue;
            }
            if (line.startsWith("#")) {
                if (format == Format.OPENMETRICS && line.equals("# EOF")) {
                    eof = true;
                    continue;
                }
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE") || parts[1].equals("UNIT"))) {
                    String family = parts[2];
                    if (!NAME.matcher(family).matches()) {
                        throw new AssertionError(where + "not a metric name: " + family);
                    }
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new AssertionError(where + "no known type");
                        }
                        if (e.types.containsKey(family)) {
                            throw new AssertionError(where + "a second TYPE for " + family);
                        }
                        if (e.samples.stream().anyMatch(s -> familyOf(s.name(), Map.of(family, parts[3])).equals(family))) {
                            throw new AssertionError(where + "TYPE after samples of " + family);
                        }
                        e.types.put(family, parts[3]);
                    } else if (parts[1].equals("HELP")) {
                        e.help.put(family, parts.length == 4 ? parts[3] : "");
                    } else if (format != Format.OPENMETRICS) {
                        throw new AssertionError(where + "UNIT is OpenMetrics only");
                    }
                    continue;
                }
                if (format == Format.OPENMETRICS) {
                    throw new AssertionError(where + "OpenMetrics has no free comments");
                }
                continue;
            }
            Sample s = sample(line, where);
            String family = familyOf(s.name(), e.types);
            if (!family.equals(current)) {
                if (finished.contains(family)) {
                    throw new AssertionError(where + "samples of " + family + " are not together");
                }
                if (current != null) {
                    finished.add(current);
                }
                current = family;
            }
            String type = e.types.getOrDefault(family, "untyped");
            if (type.equals("counter") && !s.name().endsWith("_total")
                    && !(format == Format.OPENMETRICS && s.name().endsWith("_created"))) {
                throw new AssertionError(where + "a counter's sample does not end in _total");
            }
            e.samples.add(s);
        }
        if (format == Format.OPENMETRICS && !eof) {
            throw new AssertionError("OpenMetrics must end with # EOF");
        }
        e.checkHistograms();
        return e;
    }

    /** The family a sample belongs to: its name, or its name less a suffix its family's type gives it. */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info", "_gcount", "_gsum")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return sample;
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String family = t.getKey();
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    String le = s.labels().get("le");
                    if (le == null) {
                        throw new AssertionError(family + "_bucket without le: " + s);
                    }
                    Map<String, String> series = new TreeMap<>(s.labels());
                    series.remove("le");
                    double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(bound, s.value());
                }
            }
            if (buckets.isEmpty()) {
                throw new AssertionError("histogram " + family + " has no buckets");
            }
            for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> b : buckets.entrySet()) {
                double previous = 0;
                for (Map.Entry<Double, Double> bucket : b.getValue().entrySet()) {
                    if (bucket.getValue() < previous) {
                        throw new AssertionError(family + " buckets are not cumulative at le=" + bucket.getKey());
                    }
                    previous = bucket.getValue();
                }
                Double inf = b.getValue().get(Double.POSITIVE_INFINITY);
                if (inf == null) {
                    throw new AssertionError(family + " has no le=\"+Inf\" bucket");
                }
                List<Sample> count = seriesOf(family + "_count", b.getKey());
                List<Sample> sum = seriesOf(family + "_sum", b.getKey());
                if (count.size() != 1 || sum.size() != 1) {
                    throw new AssertionError(family + " needs one _count and one _sum per series");
                }
                if (count.get(0).value() != inf) {
                    throw new AssertionError(family + " le=\"+Inf\" is " + inf + " but _count is " + count.get(0).value());
                }
            }
        }
    }

    private List<Sample> seriesOf(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && new TreeMap<>(s.labels()).equals(labels)).toList();
    }

    private static Sample sample(String line, String where) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new AssertionError(where + "neither a comment nor a sample");
        }
        int i = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                if (!ln.lookingAt()) {
                    throw new AssertionError(where + "not a label name at " + i);
                }
                String labelName = ln.group();
                i = ln.end();
                if (!line.startsWith("=\"", i)) {
                    throw new AssertionError(where + "expected =\" at " + i);
                }
                i += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new AssertionError(where + "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char next = i < line.length() ? line.charAt(i++) : ' ';
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError(where + "a bad escape in a label value");
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(labelName, value.toString()) != null) {
                    throw new AssertionError(where + "label " + labelName + " twice");
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new AssertionError(where + "expected , or } at " + i);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new AssertionError(where + "no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2 || !NUMBER.matcher(rest[0]).matches()
                || (rest.length == 2 && !NUMBER.matcher(rest[1]).matches())) {
            throw new AssertionError(where + "not a value [timestamp]");
        }
        String v = rest[0].replace("inf", "Inf").replace("nan", "NaN");
        double value = v.endsWith("Inf") ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : v.endsWith("NaN") ? Double.NaN : Double.parseDouble(v);
        return new Sample(name.group(), Collections.unmodifiableMap(labels), value);
    }

    @Override
    public String toString() {
        return format + " " + Objects.toString(sampleNames());
    }
}
