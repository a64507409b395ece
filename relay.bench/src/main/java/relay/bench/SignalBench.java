package relay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signalling node under load: {@code java -cp relay.bench.jar relay.bench.SignalBench
 * --jar cnf/target/relay.jar [--endpoints 2000] [--pools 200] [--rate 5000] [--seconds 20]
 * [--warmup 5] [--port 18700] [--node-jvm "options"]}. Starts the exported jar in a folder of its own, connects the
 * endpoints (real WebSockets, the JDK's client, tokens signed with the run's secret), measures the
 * node's heap and RSS per idle connection, joins them to the pools, then offers group messages at
 * the rate (round robin over the endpoints) and measures, in the window after the warm-up, the
 * delivery latency (send to receipt, one clock) and the node's CPU per delivered frame. The report
 * is one JSON line on stdout; progress goes to stderr. {@code --node-jvm} passes JVM options
 * (split at white space) to the node's JVM, e.g. {@code -XX:StartFlightRecording=filename=node.jfr}
 * to profile it; a relative path there is relative to the node's folder, {@code target/signal-bench/}.
 */
public final class SignalBench {

    private static final String SECRET = "signal-bench-secret-signal-bench-secret-0123";

    private final int endpoints;
    private final int pools;
    private final int rate;
    private final int seconds;
    private final int warmup;
    private final int port;
    private final Path jar;
    private final List<String> nodeJvm;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean measuring;

    private SignalBench(Map<String, String> o) {
        endpoints = Integer.parseInt(o.getOrDefault("endpoints", "2000"));
        pools = Integer.parseInt(o.getOrDefault("pools", "200"));
        rate = Integer.parseInt(o.getOrDefault("rate", "5000"));
        seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        port = Integer.parseInt(o.getOrDefault("port", "18700"));
        jar = Path.of(o.getOrDefault("jar", "cnf/target/relay.jar")).toAbsolutePath();
        String opts = o.getOrDefault("node-jvm", "").trim();
        nodeJvm = opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                System.err.println("usage: SignalBench --jar relay.jar [--endpoints n] [--pools n] [--rate f/s]"
                        + " [--seconds s] [--warmup s] [--port p] [--node-jvm \"-XX:... -X...\"]");
                System.exit(2);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        System.out.println(Json.write(new SignalBench(o).run()));
    }

    /** One endpoint: a WebSocket and what it has been told. */
    private final class Endpoint implements WebSocket.Listener {
        final int index;
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        Endpoint(int index) {
            this.index = index;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String f = partial.toString();
                partial.setLength(0);
                frame(f);
            }
            socket.request(1);
            return null;
        }

        private void frame(String f) {
            if (f.startsWith("{\"type\":\"message\"")) {
                int t = f.indexOf("\"body\":\"t=");
                if (t >= 0) {
                    int from = t + 10;
                    int to = f.indexOf('"', from);
                    long sent = Long.parseLong(f.substring(from, to));
                    if (measuring) {
                        long nanos = System.nanoTime() - sent;
                        synchronized (latency) {
                            latency.record(nanos / 1000);
                        }
                        delivered.incrementAndGet();
                    }
                }
            } else if (f.startsWith("{\"type\":\"ack\"")) {
                if (f.contains("\"peers\"")) {
                    joined.complete(null);
                } else {
                    acks.incrementAndGet();
                }
            } else if (f.startsWith("{\"type\":\"welcome\"")) {
                welcomed.complete(null);
            } else if (f.startsWith("{\"type\":\"error\"")) {
                errors.incrementAndGet();
            }
        }
    }

    private Map<String, Object> run() throws Exception {
        Path dir = Path.of("target", "signal-bench").toAbsolutePath();
        Files.createDirectories(dir.resolve("etc"));
        Path etc = jar.getParent().resolveSibling("etc");
        try (var files = Files.list(etc)) {
            for (Path cfg : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Files.copy(cfg, dir.resolve("etc").resolve(cfg.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("etc/relay.http.cfg"), "address=127.0.0.1\nport=" + port + "\n");
        Files.writeString(dir.resolve("etc/relay.signal.cfg"), "jwt.secret=" + SECRET + "\nmax.connections.per.ip=1000000\n"
                + "max.messages.per.second=1000\nmax.burst=2000\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(nodeJvm);
        command.addAll(List.of("-Dgosh.args=--nointeractive", "-jar", jar.toString()));
        Process relay = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null"))).start();
        Map<String, Object> report = new LinkedHashMap<>();
        List<Endpoint> all = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            awaitNode(http);
            long pid = relay.pid();
            HeapHistogram heap0 = HeapHistogram.of(pid);
            long rss0 = ProcessStats.rssKb(pid);

            long t0 = System.nanoTime();
            Semaphore inFlight = new Semaphore(64);
            for (int i = 0; i < endpoints; i++) {
                Endpoint e = new Endpoint(i);
                all.add(e);
                inFlight.acquire();
                http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal"), e)
                        .thenCompose(ws -> {
                            e.ws = ws;
                            return ws.sendText("{\"type\":\"hello\",\"token\":\"" + token("u" + e.index + "@bench.test") + "\"}", true);
                        }).thenCompose(x -> e.welcomed).whenComplete((x, err) -> {
                            inFlight.release();
                            if (err != null) {
                                e.welcomed.completeExceptionally(err);
                            }
                        });
            }
            CompletableFuture.allOf(all.stream().map(e -> e.welcomed).toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000);
            HeapHistogram heap1 = HeapHistogram.of(pid);
            long rss1 = ProcessStats.rssKb(pid);
            report.put("endpoints", endpoints);
            report.put("connect_seconds", round(connectSeconds));
            report.put("connections_per_second", round(endpoints / connectSeconds));
            report.put("heap_bytes_per_idle_connection", Math.round((double) (heap1.totalBytes - heap0.totalBytes) / endpoints));
            report.put("rss_kb_per_idle_connection", round((double) (rss1 - rss0) / endpoints));
            report.put("heap_growth_by_class", heap1.growth(heap0, endpoints, 6));
            System.err.printf("connected %d endpoints in %.1f s%n", endpoints, connectSeconds);

            for (Endpoint e : all) {
                e.ws.sendText("{\"type\":\"join\",\"id\":\"j\",\"pool\":\"p" + (e.index % pools) + "\"}", true).join();
            }
            CompletableFuture.allOf(all.stream().map(e -> e.joined).toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.err.printf("joined %d pools%n", pools);

            long sent = rate > 0 ? load(all, pid, report) : 0;
            report.put("pools", pools);
            report.put("offered_frames_per_second", rate);
            report.put("window_seconds", seconds);
            report.put("frames_sent_in_window", sent);
            report.put("errors", errors.get());
        } finally {
            for (Endpoint e : all) {
                if (e.ws != null) {
                    e.ws.abort();
                }
            }
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
        return report;
    }

    /** Offers group messages at the rate for warm-up plus window; returns the frames sent in the window. */
    private long load(List<Endpoint> all, long pid, Map<String, Object> report) throws Exception {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long windowStart = start + warmup * 1_000_000_000L;
        long end = windowStart + seconds * 1_000_000_000L;
        double cpu0 = 0;
        long sentInWindow = 0;
        long next = start;
        int i = 0;
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>(all.size());
        for (int k = 0; k < all.size(); k++) {
            pending.add(CompletableFuture.completedFuture(null));
        }
        long late = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (!measuring && now >= windowStart) {
                cpu0 = ProcessStats.cpuSeconds(pid);
                delivered.set(0);
                measuring = true;
            }
            if (now < next) {
                LockSupport.parkNanos(Math.min(next - now, 200_000));
                continue;
            }
            next += interval;
            Endpoint e = all.get(i);
            CompletableFuture<WebSocket> previous = pending.get(i);
            if (!previous.isDone()) {
                late++; // this endpoint's last frame is still being written: skip its turn
            } else {
                pending.set(i, e.ws.sendText("{\"type\":\"message\",\"id\":\"m\",\"pool\":\"p" + (e.index % pools)
                        + "\",\"body\":\"t=" + System.nanoTime() + "\"}", true));
                if (measuring) {
                    sentInWindow++;
                }
            }
            i = (i + 1) % all.size();
        }
        double cpu = ProcessStats.cpuSeconds(pid) - cpu0;
        Thread.sleep(1000); // deliveries of the window's last frames
        measuring = false;
        long deliveredInWindow = delivered.get();
        int perPool = endpoints / pools;
        report.put("deliveries_expected", sentInWindow * (perPool - 1));
        report.put("deliveries", deliveredInWindow);
        report.put("delivered_frames_per_second", round(deliveredInWindow / (double) seconds));
        report.put("skipped_sends", late);
        synchronized (latency) {
            report.put("latency_p50_ms", round(latency.quantile(0.50) / 1000.0));
            report.put("latency_p99_ms", round(latency.quantile(0.99) / 1000.0));
            report.put("latency_max_ms", round(latency.max() / 1000.0));
        }
        report.put("node_cpu_seconds", round(cpu));
        report.put("node_cpu_us_per_delivered_frame", round(cpu * 1e6 / Math.max(1, deliveredInWindow)));
        report.put("node_cpu_us_per_received_frame", round(cpu * 1e6 / Math.max(1, sentInWindow)));
        return sentInWindow;
    }

    private void awaitNode(HttpClient http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/signal/pools")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IOException("the node did not answer on port " + port + " within 60 s");
    }

    private static String token(String user) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
                        + ",\"pools\":[\"*\"]}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
