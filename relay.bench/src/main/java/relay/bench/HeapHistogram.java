package relay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a JVM by class, from {@code jcmd <pid> GC.class_histogram} (which runs a
 * full GC first, so only reachable objects count). Two of them, before and after allocating
 * idle channels, say what a channel costs on the heap and which classes hold it.
 */
final class HeapHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** Instances and bytes of one class. */
    record Row(long instances, long bytes) {
    }

    final long totalBytes;
    final long totalInstances;
    final Map<String, Row> byClass;

    private HeapHistogram(long totalInstances, long totalBytes, Map<String, Row> byClass) {
        this.totalInstances = totalInstances;
        this.totalBytes = totalBytes;
        this.byClass = byClass;
    }

    /** Asks the JVM {@code pid} for its histogram with the JDK's jcmd (bounded to 60 s). */
    static HeapHistogram of(long pid) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String exe = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        Process p = new ProcessBuilder(exe, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " GC.class_histogram did not finish in 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + Json.abbreviate(text.trim()));
            }
            return parse(text);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static HeapHistogram parse(String text) {
        Map<String, Row> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher total = TOTAL.matcher(line);
            if (total.matches()) {
                return new HeapHistogram(Long.parseLong(total.group(1)), Long.parseLong(total.group(2)), rows);
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.merge(row.group(3), new Row(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Row(a.instances + b.instances, a.bytes + b.bytes));
            }
        }
        throw new IllegalArgumentException("no 'Total' line in the class histogram: " + Json.abbreviate(text.trim()));
    }

    /**
     * The classes that grew most from {@code before} to this histogram, at most {@code limit},
     * each as bytes and instances per {@code per} (the channels allocated in between).
     */
    List<Map<String, Object>> growth(HeapHistogram before, int per, int limit) {
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (Map.Entry<String, Row> e : byClass.entrySet()) {
            Row old = before.byClass.getOrDefault(e.getKey(), new Row(0, 0));
            long delta = e.getValue().bytes - old.bytes;
            if (delta > 0) {
                grown.add(Map.entry(e.getKey(), delta));
            }
        }
        grown.sort(Collections.reverseOrder(Map.Entry.comparingByValue()));
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map.Entry<String, Long> e : grown.subList(0, Math.min(limit, grown.size()))) {
            Row now = byClass.get(e.getKey());
            Row old = before.byClass.getOrDefault(e.getKey(), new Row(0, 0));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", e.getKey());
            m.put("bytes_per_channel", (double) e.getValue() / per);
            m.put("instances_per_channel", (double) (now.instances - old.instances) / per);
            result.add(m);
        }
        return result;
    }
}
