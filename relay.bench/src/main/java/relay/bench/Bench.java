package relay.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark driver: gets a relay (starts one or uses a running one), allocates channels over
 * REST, runs the traffic engine and turns what it saw into one JSON object (for stdout) and a
 * short table (written to {@code err} as it goes).
 */
final class Bench implements Closeable {

    /** Latch rounds, their spacing and the listening time after them (as the C generator does). */
    private static final int LATCH_ROUNDS = 3;
    private static final long LATCH_GAP_MS = 10;
    private static final long LATCH_WAIT_MS = 200;
    /** How long a freshly started relay may refuse allocations while its configuration arrives. */
    private static final long CONFIGURE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int IDLE_SETTLE_MS = 2000;
    private static final long SELF = ProcessHandle.current().pid();
    /** Waiting for quiet CPUs may take at most this long over a whole run (as the shell bench). */
    private static final long QUIET_BUDGET_MS = 12_000;
    /** After a --foreign-flood window, time for the relay to empty its sockets' queues before its CPU is read. */
    private static final long SETTLE_MS = 100;
    /** The longest wait for a relay to read the backlog a flood left in its queues. */
    static final long BACKLOG_MAX_MS = 10_000;
    /** --metrics-png: the rate window of the panels, four scrapes as Grafana's $__rate_interval. */
    static final int RATE_WINDOW_S = 4;

    private final BenchOptions o;
    private final PrintStream err;
    private final CpuPressure pressure = new CpuPressure(QUIET_BUDGET_MS);
    private volatile RelayProcess process;
    private RelayClient client;
    private Long pid;
    private final List<String> allocatedElsewhere = new ArrayList<>();
    private double allocSeconds;
    /** The relay's ports the generator sends to (A and B of every channel). */
    private Set<Integer> relayPorts = Set.of();
    private long rssIdleKb = -1;
    /** The relay's and the generator's CPUs for --foreign-flood's interference figures; null when not pinned. */
    private Set<Integer> relayCpus;
    private Set<Integer> genCpus;

    /** With --cluster: the run's own key prefix in Redis, removed when the bench closes. */
    private final String clusterPrefix;
    /** How long a relay started with --cluster may take to say it joined. */
    private static final long CLUSTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Sockets and files a relay (or this JVM) needs besides its channels' sockets. */
    private static final int SPARE_FDS = 1000;
    /** A relay was started with --cluster: its keys are to be removed. */
    private boolean clusterUsed;

    Bench(BenchOptions o, PrintStream err) {
        this.o = o;
        this.err = err;
        this.clusterPrefix = o.cluster == null ? null : RelayProcess.clusterPrefix();
    }

    /** Runs the mode the options ask for and returns the report line. */
    Map<String, Object> run() throws IOException {
        if (o.mode == BenchOptions.Mode.ALLOC_INPROCESS) {
            return allocInProcess();
        }
        startRelay();
        return switch (o.mode) {
            case FIXED -> fixed();
            case SWEEP -> sweep();
            case IDLE_MEM -> idleMemory();
            case FLOOD -> foreignFlood();
            case ALLOC_RATE -> allocRate();
            case ALLOC_INPROCESS -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * --alloc-rate: rounds of N allocations and N deletions over one REST keep-alive connection
     * (a connection of its own: {@link KeepAliveHttp}), the relay's CPU time read around each
     * half of a round.
     */
    private Map<String, Object> allocRate() throws IOException {
        int n = o.allocChannels;
        if (!o.external()) {
            requireDescriptors((long) n * (o.rtcp ? 4 : 2), "the relay (it inherits the bench's limit)",
                    o.rtcp ? "--no-rtcp, " : "");
        }
        placeSelf();
        List<AllocRate.Round> warmup = new ArrayList<>();
        List<AllocRate.Round> rounds;
        int connections;
        try (KeepAliveHttp http = new KeepAliveHttp(client.base(), o.token)) {
            AllocRate.Allocator rest = new AllocRate.Allocator() {
                @Override
                public String allocate(String user) throws IOException {
                    KeepAliveHttp.Response r = http.post("/channels", Json.write(Map.of("user", user)));
                    if (r.status() != 201) {
                        throw new RelayClient.AnswerException("POST /channels for " + user, r.status(), r.body());
                    }
                    Object id = Json.parseObject(r.body()).get("id");
                    if (!(id instanceof String s)) {
                        throw new IOException("POST /channels answered 201 without an id: " + Json.abbreviate(r.body()));
                    }
                    return s;
                }

                @Override
                public void destroy(String id) throws IOException {
                    KeepAliveHttp.Response r = http.delete("/channels/" + id);
                    if (r.status() != 204) {
                        throw new RelayClient.AnswerException("DELETE /channels/" + id, r.status(), r.body());
                    }
                }
            };
            rounds = new AllocRate(rest, n, () -> pid == null ? Double.NaN : ProcessStats.cpuSeconds(pid),
                    () -> ProcessStats.cpuSeconds(SELF)).run(o.allocWarmupRounds, o.allocRounds, warmup);
            connections = http.connections();
        }
        checkAlive();
        Integer clusterKeys = null;
        if (clusterPrefix != null) {
            try (RedisKeys redis = new RedisKeys(o.cluster)) {
                clusterKeys = redis.keys(clusterPrefix).size();
            }
        }
        err.printf(Locale.ROOT, "relay.bench alloc-rate: %d channels a round over one REST keep-alive connection"
                + " (%d opened), %d warm-up round%s and %d measured, cluster %s, %s%n", n, connections,
                o.allocWarmupRounds, o.allocWarmupRounds == 1 ? "" : "s", o.allocRounds,
                o.cluster == null ? "off" : "on (node " + RelayProcess.CLUSTER_NODE + ", Redis "
                        + redacted(o.cluster) + ", " + clusterKeys + " keys under its prefix)", relayLabel());
        err.print(AllocRate.table(rounds, warmup));
        Map<String, Object> r = allocHeader("alloc-rate");
        r.put("rtcp", o.external() ? null : o.rtcp);
        r.put("connections", connections);
        r.put("cluster", o.cluster != null);
        r.put("cluster_redis", o.cluster == null ? null : redacted(o.cluster));
        r.put("cluster_node", o.cluster == null ? null : RelayProcess.CLUSTER_NODE);
        r.put("cluster_keys", clusterKeys);
        AllocRate.putJson(r, rounds, warmup);
        return r;
    }

    /**
     * --alloc-rate-inprocess: the same rounds from one thread through RelayService of a relay
     * core in this JVM, with a GC before each round so that no round pays for the garbage of
     * the one before. The CPU figure is this whole JVM's (caller and core).
     */
    private Map<String, Object> allocInProcess() throws IOException {
        int n = o.allocChannels;
        requireDescriptors(2L * n, "this JVM", "");
        placeSelf();
        List<AllocRate.Round> warmup = new ArrayList<>();
        List<AllocRate.Round> rounds;
        try (InProcessRelay relay = new InProcessRelay(o.ioThreads, o.ioEngine)) {
            rounds = new AllocRate(relay, n, () -> ProcessStats.cpuSeconds(SELF), () -> Double.NaN)
                    .beforeRound(System::gc).run(o.allocWarmupRounds, o.allocRounds, warmup);
            if (relay.live() != 0) {
                throw new IllegalStateException(relay.live() + " channels still live after the last round");
            }
        }
        err.printf(Locale.ROOT, "relay.bench alloc-rate-inprocess: %d channels a round from one thread through"
                + " RelayService (relay core in this JVM, ports %d-%d without RTCP, io.threads %d, io.engine %s, no policies),"
                + " %d warm-up round%s and %d measured; CPU is the whole JVM's%n", n, BenchOptions.INPROCESS_PORT_MIN,
                BenchOptions.INPROCESS_PORT_MAX, o.ioThreads, o.ioEngine == null ? "auto" : o.ioEngine, o.allocWarmupRounds, o.allocWarmupRounds == 1 ? "" : "s",
                o.allocRounds);
        err.print(AllocRate.table(rounds, warmup));
        Map<String, Object> r = allocHeader("alloc-rate-inprocess");
        r.put("pid", SELF);
        r.put("relay_cpus", null);
        r.put("gen_cpus", null);
        r.put("port_min", BenchOptions.INPROCESS_PORT_MIN);
        r.put("port_max", BenchOptions.INPROCESS_PORT_MAX);
        r.put("rtcp", false);
        r.put("io_engine", o.ioEngine == null ? "auto" : o.ioEngine);
        r.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        AllocRate.putJson(r, rounds, warmup);
        return r;
    }

    private Map<String, Object> allocHeader(String mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("relay", o.relayName());
        r.put("pid", pid);
        r.put("channels", o.allocChannels);
        r.put("rounds", o.allocRounds);
        r.put("warmup_rounds", o.allocWarmupRounds);
        r.put("io_threads", o.external() ? null : o.ioThreads);
        r.put("relay_cpus", o.external() ? null : o.relayCpus);
        r.put("gen_cpus", o.genCpus);
        return r;
    }

    /** Fails early, and clearly, when {@code sockets} more open files would pass the open-file limit. */
    private static void requireDescriptors(long sockets, String who, String hint) {
        long limit = ProcessStats.openFileLimit();
        if (limit >= 0 && sockets + SPARE_FDS > limit) {
            throw new IllegalStateException(sockets + " sockets for the channels and about " + SPARE_FDS
                    + " other files pass the open-file limit of " + who + ", " + limit + " (ulimit -n): use " + hint
                    + "fewer channels, or raise the limit");
        }
    }

    /** A Redis URI without its password. */
    static String redacted(java.net.URI u) {
        return u.getUserInfo() == null ? u.toString() : u.toString().replace(u.getRawUserInfo() + "@", "***@");
    }

    /**
     * --cluster: the relay's console must say it joined as node bench, and the node's heartbeat
     * must be in Redis under the run's prefix, before anything is measured.
     */
    private void awaitClusterNode() throws IOException {
        String joined = "Relay cluster: node " + RelayProcess.CLUSTER_NODE + " ";
        long deadline = System.nanoTime() + CLUSTER_TIMEOUT_NANOS;
        RelayProcess p = process;
        while (!p.logContains(joined)) {
            checkAlive();
            if (System.nanoTime() - deadline > 0) {
                p.failed();
                throw new IllegalStateException("--cluster: the relay never logged \"" + joined.trim() + "\" within 30 s"
                        + " (is bundle relay.cluster in " + o.relayJar + "? rebuild it: mvn -pl cnf -am package);"
                        + " its console ends with:\n" + p.tail(20));
            }
            sleep(200);
        }
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            checkAlive();
            try (RedisKeys redis = new RedisKeys(o.cluster)) {
                if (!redis.keys(clusterPrefix).isEmpty()) {
                    return;
                }
                last = "no key under " + clusterPrefix + " yet";
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleep(200);
        }
        p.failed();
        throw new IllegalStateException("--cluster: node " + RelayProcess.CLUSTER_NODE + " wrote nothing to Redis at "
                + redacted(o.cluster) + " within 30 s (" + last + "); its console ends with:\n" + p.tail(20));
    }

    private Map<String, Object> fixed() throws IOException {
        MetricsRecorder recorder = o.metricsPng == null ? null
                : new MetricsRecorder(new RelayClient(client.base(), o.token), err);
        try {
            if (recorder != null) {
                recorder.mark("allocation");
            }
            List<RelayClient.Channel> channels = allocate(o.flows);
            placeSelf();
            Measurement m;
            long latched;
            try (TrafficEngine engine = new TrafficEngine(channels, o.clientBase, o.size, o.spin)) {
                latched = engine.latch(LATCH_ROUNDS, LATCH_GAP_MS, LATCH_WAIT_MS);
                if (o.warmup > 0) {
                    if (recorder != null) {
                        recorder.mark("warm-up");
                    }
                    engine.warmup(o.totalRate(), TimeUnit.SECONDS.toNanos(o.warmup));
                }
                if (recorder != null) {
                    recorder.mark("window");
                }
                m = measure(engine, o.totalRate(), o.seconds);
                if (recorder != null) {
                    recorder.mark("end");
                    recorder.stop();                      // the last scrape sees the whole window
                }
            }
            checkAlive();
            err.printf("relay.bench fixed: %d flows, %d pps in total, %d s (after %d s warm-up), %s%n",
                    o.flows, o.totalRate(), o.seconds, o.warmup, relayLabel());
            err.print(Table.measurements().row(m));
            Map<String, Object> r = header("fixed");
            r.putAll(m.toJson());
            r.put("rss_kb_idle", rssIdleKb < 0 ? null : rssIdleKb);
            r.put("latch_rx", latched);
            r.put("alloc_s", allocSeconds);
            if (recorder != null) {
                r.put("metrics_scrapes", recorder.scrapes().size());
                r.put("metrics_png", o.metricsPng.toString());
                dashboard(recorder);
            }
            return r;
        } finally {
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    /** --metrics-png: the dashboard's panels from the run's scrapes. */
    private void dashboard(MetricsRecorder recorder) throws IOException {
        List<MetricsScrape> scrapes = recorder.scrapes();
        if (scrapes.size() < 2) {
            throw new IOException("--metrics-png: " + scrapes.size() + " scrape(s) of /metrics answered, too few to draw");
        }
        String subtitle = String.format(Locale.ROOT, "relay.bench fixed run: %d flows, %d pps offered in total"
                + " (%d-byte datagrams), %d s warm-up, %d s window, %s.\n%d scrapes of GET /metrics, 1 s apart;"
                + " rates over %d s (Grafana's $__rate_interval at a 1 s scrape)", o.flows, o.totalRate(),
                o.size, o.warmup, o.seconds, o.external() ? "relay at " + o.relayName()
                        : "relay.jar, io.threads " + o.ioThreads, scrapes.size(), RATE_WINDOW_S);
        DashboardPng.write(o.metricsPng, "Relay (grafana/relay-dashboard.json): main panels over a benchmark run",
                subtitle, DashboardPanels.of(scrapes, RATE_WINDOW_S), recorder.markers());
        err.printf(Locale.ROOT, "relay.bench: dashboard panels from %d scrapes written to %s%s%n", scrapes.size(),
                o.metricsPng, recorder.failures() > 0 ? " (" + recorder.failures() + " scrapes failed)" : "");
    }

    /** The three windows of a --foreign-flood round, in the order they run. */
    enum FloodWindow {
        NO_FLOOD("no-flood", "none"), CONTROL("control", "sink"), FLOOD("flood", "relay");

        final String label;
        final String target;

        FloodWindow(String label, String target) {
            this.label = label;
            this.target = target;
        }
    }

    /**
     * One window of --foreign-flood: the generator's view, the relay's own counters, the flood's
     * figures, and how long the relay took to empty its queues after it.
     */
    record FloodMeasurement(int round, FloodWindow window, Measurement m, RelayCounters relay,
            FloodSender.Result flood, long backlogMs, double othersOnRelayCpusMs, double othersOnGenCpusMs) {

        Map<String, Object> toJson() {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("round", round);
            j.put("window", window.label);
            j.put("flood_target", window.target);
            j.put("flood_offered_pps", flood.offeredPps());
            j.put("flood_sent", flood.sent());
            j.put("flood_skipped", flood.skipped());
            j.put("flood_send_full", flood.sendFull());
            j.put("flood_send_errors", flood.errors());
            j.put("flood_cpu_util", flood.cpuUtil());
            j.put("psi_own_ms", m.ownStallMs());
            j.put("relay_forwarded", relay == null ? null : relay.forwardedPackets());
            j.put("relay_dropped", relay == null ? null : relay.droppedTotal());
            j.put("relay_dropped_by_reason", relay == null ? null : new LinkedHashMap<>(relay.dropped()));
            j.put("relay_backlog_s", backlogMs / 1000.0);
            j.put("others_cpu_ms_relay_cpus", othersOnRelayCpusMs);
            j.put("others_cpu_ms_gen_cpus", othersOnGenCpusMs);
            j.putAll(m.toJson());
            return j;
        }

        /** Datagrams the relay forwarded: its own count, or what came back to the generator without one. */
        long forwarded() {
            return relay != null ? relay.forwardedPackets() : m.window().received;
        }

        long dropped() {
            return relay == null ? 0 : relay.droppedTotal();
        }

        /** Null when nothing tells. */
        Boolean noisy() {
            return Double.isNaN(m.cpuStallMs()) && Double.isNaN(m.othersCpuMs()) ? null : m.noisy();
        }
    }

    /** The three windows of one round and the figures computed from them. */
    record FloodRound(int round, FloodMeasurement none, FloodMeasurement control, FloodMeasurement flood,
            FloodFigures figures) {

        static FloodRound of(int round, FloodMeasurement none, FloodMeasurement control, FloodMeasurement flood) {
            return new FloodRound(round, none, control, flood, FloodFigures.of(none.m().relayCpuSeconds(),
                    none.forwarded(), flood.m().relayCpuSeconds(), flood.forwarded(), flood.dropped(),
                    none.m().window().latencyUs(0.99), control.m().window().latencyUs(0.99),
                    flood.m().window().latencyUs(0.99)));
        }

        /** No window of the round was disturbed by other processes (or the kernel cannot tell). */
        boolean clean() {
            return !Boolean.TRUE.equals(none.noisy()) && !Boolean.TRUE.equals(control.noisy())
                    && !Boolean.TRUE.equals(flood.noisy());
        }

        Map<String, Object> toJson() {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("round", round);
            j.put("flood_offered_pps", flood.flood().offeredPps());
            j.put("relay_forwarded", flood.relay() == null ? null : flood.relay().forwardedPackets());
            j.put("relay_dropped", flood.relay() == null ? null : flood.relay().droppedTotal());
            figures.putJson(j);
            j.put("noisy", none.noisy() == null ? null : !clean());
            return j;
        }
    }

    /**
     * --foreign-flood: after latching (RTP ports by the flows, RTCP ports by quiet sockets of
     * their own) and a warm-up with the flood at the relay (the JIT compiles its drop path too),
     * rounds of three windows of the same legitimate traffic: no flood; the flood sent at a sink
     * socket of the bench's own, which the relay never sees (what the flood costs the generator,
     * whose CPUs it shares); the flood sent at every live relay port. The relay's counters are
     * read over REST before and after each window, outside its CPU sampling. The figures of the
     * report are the medians over the rounds that no other process disturbed (over all rounds
     * when every one was).
     */
    private Map<String, Object> foreignFlood() throws IOException {
        // interference is measured where the relay (a process the bench knows) and the generator are pinned
        relayCpus = o.external() || o.relayCpus == null ? null : CpuStat.cpus(o.relayCpus);
        genCpus = o.genCpus == null ? null : CpuStat.cpus(o.genCpus);
        if (relayCpus == null || genCpus == null || relayCpus.stream().anyMatch(genCpus::contains)) {
            relayCpus = null;                             // both apart, or the pressure of the whole machine
            genCpus = null;
        }
        List<RelayClient.Channel> channels = allocate(o.flows);
        List<InetSocketAddress> targets = new ArrayList<>();
        for (RelayClient.Channel c : channels) {
            targets.addAll(c.relayAddresses());
        }
        List<Integer> ports = targets.stream().map(InetSocketAddress::getPort).sorted().toList();
        placeSelf();                                       // before the flood's thread exists: it inherits CPUs and priority
        List<FloodMeasurement> windows = new ArrayList<>();
        List<FloodRound> rounds = new ArrayList<>();
        long latched;
        int rtcpLatched;
        int sources;
        FloodSender.Result warmupFlood = FloodSender.Result.NONE;
        long warmupBacklogMs = 0;
        String floodSched;
        try (TrafficEngine engine = new TrafficEngine(channels, o.clientBase, o.size, o.spin);
             FloodSender flood = new FloodSender(FloodSender.plan(o.floodFrom, o.floodPorts, ports), o.size,
                     o.nice);
             DatagramChannel sink = sink()) {
            sources = flood.sources();
            latched = engine.latch(LATCH_ROUNDS, LATCH_GAP_MS, LATCH_WAIT_MS);
            rtcpLatched = engine.latchRtcp(LATCH_ROUNDS, LATCH_GAP_MS, LATCH_WAIT_MS);   // the flood meets no free port
            if (o.warmup > 0) {                            // the relay's drop path gets its JIT warm-up too
                flood.start(o.floodPps, targets);
                try {
                    engine.warmup(o.totalRate(), TimeUnit.SECONDS.toNanos(o.warmup));
                } finally {
                    warmupFlood = flood.stop();
                }
                warmupBacklogMs = awaitRelayQueuesEmpty();
            }
            List<InetSocketAddress> toSink = List.of((InetSocketAddress) sink.getLocalAddress());
            for (int round = 1; round <= o.floodRounds; round++) {
                FloodMeasurement none = floodWindow(engine, round, FloodWindow.NO_FLOOD, null, null);
                FloodMeasurement control = floodWindow(engine, round, FloodWindow.CONTROL, flood, toSink);
                FloodMeasurement flooded = floodWindow(engine, round, FloodWindow.FLOOD, flood, targets);
                checkAlive();
                windows.addAll(List.of(none, control, flooded));
                rounds.add(FloodRound.of(round, none, control, flooded));
            }
            floodSched = flood.policy();
            err.printf("relay.bench foreign-flood: %d flows, %d pps in total, %d rounds of three %d s windows (after"
                    + " %d s warm-up with the flood), flood %d pps from %d sockets (%s, %s ports) at %d relay ports,"
                    + " sent by a thread of its own (%s scheduling) on the generator's CPU%s, %s%n", o.flows,
                    o.totalRate(), o.floodRounds, o.seconds, o.warmup, o.floodPps, sources, o.floodFromText,
                    o.floodPorts.name().toLowerCase(Locale.ROOT), targets.size(), floodSched,
                    o.genCpus == null ? "s (not pinned)" : " " + o.genCpus, relayLabel());
        }
        List<FloodRound> clean = rounds.stream().filter(FloodRound::clean).toList();
        List<FloodRound> used = clean.isEmpty() ? rounds : clean;
        FloodFigures f = FloodFigures.median(used.stream().map(FloodRound::figures).toList());
        boolean noisyKnown = windows.stream().anyMatch(w -> w.noisy() != null);
        Map<String, Object> r = header("foreign-flood");
        r.put("target_pps", o.totalRate());
        r.put("flood_pps", o.floodPps);
        r.put("flood_from", o.floodFromText);
        r.put("flood_src_ports", o.floodPorts.name().toLowerCase(Locale.ROOT));
        r.put("flood_sources", sources);
        r.put("flood_cpus", o.genCpus);                  // the flood's thread runs where the generator does
        r.put("flood_sched", floodSched);
        r.put("flood_targets", targets.size());
        r.put("rounds", o.floodRounds);
        r.put("rounds_clean", noisyKnown ? clean.size() : null);
        r.put("flood_offered_pps", median(used, x -> x.flood().flood().offeredPps()));
        r.put("relay_forwarded", relayMedian(used, x -> (double) x.flood().relay().forwardedPackets()));
        r.put("relay_dropped", relayMedian(used, x -> (double) x.flood().relay().droppedTotal()));
        r.put("relay_dropped_by_reason", droppedByReason(used));
        f.putJson(r);
        r.put("target_p99_at_pps", FloodFigures.TARGET_FLOOD_PPS);
        r.put("noisy", noisyKnown ? clean.isEmpty() : null);
        r.put("per_round", rounds.stream().map(FloodRound::toJson).toList());
        r.put("windows", windows.stream().map(FloodMeasurement::toJson).toList());
        r.put("rss_kb_idle", rssIdleKb < 0 ? null : rssIdleKb);
        r.put("latch_rx", latched);
        r.put("rtcp_latched", rtcpLatched);
        r.put("flood_warmup_sent", warmupFlood.sent());
        r.put("relay_backlog_after_warmup_s", warmupBacklogMs / 1000.0);
        r.put("alloc_s", allocSeconds);
        Table flows = Table.measurements("window");
        Table relay = new Table("window", "flood to", "flood pps", "flood util", "relay fwd", "relay dropped",
                "dropped by reason", "relay CPU s", "relay wait ms", "stall ms all/own", "backlog s", "stray");
        for (FloodMeasurement w : windows) {
            String label = w.window().label + " " + w.round();
            flows.row(label, w.m());
            relay.row(label, w.window().target, Math.round(w.flood().offeredPps()), w.flood().cpuUtil(),
                    w.relay() == null ? "-" : w.relay().forwardedPackets(),
                    w.relay() == null ? "-" : w.relay().droppedTotal(), reasons(w.relay()), w.m().relayCpuSeconds(),
                    w.m().relayWaitMs(), Table.format(w.m().cpuStallMs()) + "/" + Table.format(w.m().ownStallMs()),
                    w.backlogMs() / 1000.0, w.m().window().stray);
        }
        err.print(flows);
        err.print(relay);
        Table targetsTable = new Table("round", "flood pps", "us/fwd", "us/drop", "drop/fwd", "CPU target", "p99 none",
                "p99 control", "p99 flood", "p99 ratio", "p99 target", "noisy");
        for (FloodRound x : rounds) {
            summaryRow(targetsTable, Integer.toString(x.round()), x.flood().flood().offeredPps(), x.figures(),
                    x.none().noisy() == null ? "-" : x.clean() ? "no" : "yes");
        }
        summaryRow(targetsTable, "median", (Double) r.get("flood_offered_pps"), f,
                !noisyKnown ? "-" : clean.isEmpty() ? "yes" : "no (" + clean.size() + " of " + rounds.size() + ")");
        err.print(targetsTable);
        err.printf(Locale.ROOT, "targets: CPU per dropped datagram <= CPU per forwarded datagram; flows' p99 under a"
                + " %d pps flood <= %.0fx the no-flood p99; medians over %s%n", FloodFigures.TARGET_FLOOD_PPS,
                FloodFigures.P99_FACTOR, clean.isEmpty() ? "all rounds (every one noisy: other processes took CPU"
                        + " time; run again)" : "the rounds no other process disturbed");
        return r;
    }

    private static void summaryRow(Table t, String label, Double floodPps, FloodFigures f, String noisy) {
        t.row(label, floodPps == null ? "-" : Math.round(floodPps), f.cpuUsPerForwarded(), f.cpuUsPerDropped(),
                f.dropToForwardCpu(), verdictCell(f.cpuTargetMet()), f.p99NoFloodUs(), f.p99ControlUs(), f.p99FloodUs(),
                f.p99Ratio(), verdictCell(f.p99TargetMet()), noisy);
    }

    private static Double median(List<FloodRound> rounds, java.util.function.ToDoubleFunction<FloodRound> value) {
        double m = FloodFigures.median(rounds.stream().mapToDouble(value).toArray());
        return Double.isNaN(m) ? null : m;
    }

    /** A median of the relay's counters; null without them. */
    private static Long relayMedian(List<FloodRound> rounds, java.util.function.ToDoubleFunction<FloodRound> value) {
        if (rounds.stream().anyMatch(x -> x.flood().relay() == null)) {
            return null;
        }
        Double m = median(rounds, value);
        return m == null ? null : Math.round(m);
    }

    /** Each drop reason's median over the flood windows of the rounds (0 in a round that lacks it). */
    private static Map<String, Long> droppedByReason(List<FloodRound> rounds) {
        if (rounds.stream().anyMatch(x -> x.flood().relay() == null)) {
            return null;
        }
        Set<String> reasons = new java.util.TreeSet<>();
        rounds.forEach(x -> reasons.addAll(x.flood().relay().dropped().keySet()));
        Map<String, Long> by = new LinkedHashMap<>();
        for (String reason : reasons) {
            by.put(reason, relayMedian(rounds, x -> x.flood().relay().dropped().getOrDefault(reason, 0L)));
        }
        return by;
    }

    private static String verdictCell(Boolean met) {
        String v = FloodFigures.verdict(met);
        return v == null ? "-" : v.toUpperCase(Locale.ROOT);
    }

    private static String reasons(RelayCounters c) {
        if (c == null) {
            return "-";
        }
        if (c.dropped().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        c.dropped().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * Where the control window's flood goes: a socket of the bench's own that is never read, with
     * the smallest receive buffer, so the kernel drops the flood at its queue.
     */
    private static DatagramChannel sink() throws IOException {
        DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            sink.setOption(StandardSocketOptions.SO_RCVBUF, 1);
            sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return sink;
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /**
     * One window of --foreign-flood. The relay's counters are read before its CPU time and after
     * it, so the REST requests cost the window nothing; the flood starts after the first CPU
     * reading and stops after the traffic engine's drain, and the relay empties its sockets'
     * queues ({@link #awaitRelayQueuesEmpty}) before its CPU time is read again, so the CPU it
     * spends on a backlog is in the window with the drops it counts. Every window does the same,
     * flood or not.
     */
    private FloodMeasurement floodWindow(TrafficEngine engine, int round, FloodWindow fw, FloodSender flood,
            List<InetSocketAddress> targets) throws IOException {
        long quietWait = pressure.awaitQuiet();
        if (quietWait > 0) {
            err.printf("relay.bench: waited %.1f s for other processes to leave the CPUs alone%n", quietWait / 1000.0);
        }
        Set<Integer> clientPorts = engine.clientPorts();
        RelayCounters c0 = relayCounters();
        long relayDrops0 = UdpDrops.of(relayPorts);
        long genDrops0 = UdpDrops.of(clientPorts);
        long stall0 = CpuPressure.someTotalMicros();
        double relay0 = pid == null ? Double.NaN : ProcessStats.cpuSeconds(pid);
        double gen0 = ProcessStats.cpuSeconds(SELF);
        long relayWait0 = pid == null ? -1 : ProcessStats.runDelayNanos(pid);
        double relayBusy0 = relayCpus == null ? Double.NaN : CpuStat.busySeconds(relayCpus);
        double genBusy0 = genCpus == null ? Double.NaN : CpuStat.busySeconds(genCpus);
        long t0 = System.nanoTime();
        FloodSender.Result floodResult = FloodSender.Result.NONE;
        Window w;
        if (flood != null) {
            flood.start(o.floodPps, targets);
        }
        try {
            w = engine.measure(o.totalRate(), TimeUnit.SECONDS.toNanos(o.seconds));
        } finally {
            if (flood != null) {
                floodResult = flood.stop();
            }
        }
        long backlogMs = awaitRelayQueuesEmpty();
        long t1 = System.nanoTime();
        double relay1 = pid == null ? Double.NaN : ProcessStats.cpuSeconds(pid);
        double gen1 = ProcessStats.cpuSeconds(SELF);
        long relayWait1 = pid == null ? -1 : ProcessStats.runDelayNanos(pid);
        double relayBusy1 = relayCpus == null ? Double.NaN : CpuStat.busySeconds(relayCpus);
        double genBusy1 = genCpus == null ? Double.NaN : CpuStat.busySeconds(genCpus);
        long stall1 = CpuPressure.someTotalMicros();
        long relayDrops1 = UdpDrops.of(relayPorts);
        long genDrops1 = UdpDrops.of(clientPorts);
        long rss = pid == null ? -1 : ProcessStats.rssKb(pid);
        RelayCounters c1 = relayCounters();
        double stallMs = stall0 < 0 || stall1 < 0 ? Double.NaN : (stall1 - stall0) / 1000.0;
        // other processes' CPU time where relay and generator are pinned: busy time there less their own
        double othersRelay = Math.max(0, (relayBusy1 - relayBusy0 - (relay1 - relay0)) * 1000);
        double othersGen = Math.max(0, (genBusy1 - genBusy0 - (gen1 - gen0)) * 1000);
        Measurement m = new Measurement(w, (t1 - t0) / 1e9, relay1 - relay0, gen1 - gen0, rss, stallMs, quietWait,
                relayDrops0 < 0 || relayDrops1 < 0 ? -1 : relayDrops1 - relayDrops0,
                genDrops0 < 0 || genDrops1 < 0 ? -1 : genDrops1 - genDrops0,
                relayWait0 < 0 || relayWait1 < 0 ? Double.NaN : (relayWait1 - relayWait0) / 1e6,
                flood == null ? 0 : floodResult.busyMs(), Math.max(othersRelay, othersGen));
        err.printf(Locale.ROOT, "round %d, window %s: flood %.0f pps to %s, p99 %.0f us, relay dropped %s%s%n", round,
                fw.label, floodResult.offeredPps(), fw.target, w.latencyUs(0.99),
                c0 == null || c1 == null ? "-" : Long.toString(c1.minus(c0).droppedTotal()),
                backlogMs > SETTLE_MS ? String.format(Locale.ROOT, ", %.1f s to empty its queues", backlogMs / 1000.0)
                        : "");
        return new FloodMeasurement(round, fw, m, c0 == null || c1 == null ? null : c1.minus(c0), floodResult,
                backlogMs, othersRelay, othersGen);
    }

    /**
     * Waits {@link #SETTLE_MS}, then until nothing waits in the receive queues of the relay's
     * ports (a relay that fell behind a flood has a backlog to read), at most
     * {@link #BACKLOG_MAX_MS}. Returns the milliseconds waited.
     */
    private long awaitRelayQueuesEmpty() {
        long t0 = System.nanoTime();
        sleep(SETTLE_MS);
        long waited;
        while ((waited = (System.nanoTime() - t0) / 1_000_000) < BACKLOG_MAX_MS && UdpDrops.queued(relayPorts) > 0) {
            sleep(20);
        }
        return waited;
    }

    /** The relay's forwarded and dropped totals, or null when there is no REST API or no such figures. */
    private RelayCounters relayCounters() {
        if (client == null) {
            return null;
        }
        try {
            return RelayCounters.of(client.stats());
        } catch (IOException | IllegalArgumentException e) {
            err.println("relay.bench: no relay counters: " + e.getMessage());
            return null;
        }
    }

    private Map<String, Object> sweep() throws IOException {
        SweepPlan plan = new SweepPlan(o.sweepStart, o.sweepFactor, o.maxSteps);
        List<Map<String, Object>> steps = new ArrayList<>();
        Measurement best = null;
        int restarts = 0;
        TrafficEngine engine = null;
        Table table = Table.measurements();
        err.printf("relay.bench sweep: %d flows, %d s steps from %d pps x%.2f, loss limit %.2f %%, p50 limit %d us, %s%n",
                o.flows, o.stepSeconds, o.sweepStart, o.sweepFactor, o.lossLimitPct, o.p50LimitUs, relayLabel());
        try {
            placeSelf();
            while (plan.hasNext()) {
                if (engine == null || (plan.restartWanted() && process != null)) {
                    if (engine != null) {                // overload may leave lasting damage: start afresh
                        engine.close();
                        engine = null;
                        restartRelay();
                        restarts++;
                    }
                    engine = new TrafficEngine(allocate(o.flows), o.clientBase, o.size, o.spin);
                    engine.latch(LATCH_ROUNDS, LATCH_GAP_MS, LATCH_WAIT_MS);
                    if (o.warmup > 0) {
                        engine.warmup(o.sweepStart, TimeUnit.SECONDS.toNanos(o.warmup));
                    }
                }
                int rate = plan.rate();
                Measurement m = measure(engine, rate, o.stepSeconds);
                checkAlive();
                Window w = m.window();
                SweepPlan.Verdict v = SweepPlan.judge(w, o.lossLimitPct, o.p50LimitUs, m.noisy());
                boolean lossOk = w.lossPct() <= o.lossLimitPct;
                long before = plan.maxClean();
                plan.record(v, Math.round(w.offeredPps()), lossOk);
                if (plan.maxClean() > before) {
                    best = m;
                }
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("step", steps.size() + 1);
                step.put("verdict", v.name().toLowerCase());
                step.putAll(m.toJson());
                steps.add(step);
                err.printf(Locale.ROOT, "step %d: %d pps -> %s (offered %.0f, loss %.3f %%, p50 %.0f us, %s us/pkt)%n",
                        steps.size(), rate, v.name().toLowerCase(), w.offeredPps(), w.lossPct(), w.latencyUs(0.5),
                        Table.format(m.cpuMicrosPerPacket()));
                table.row(m);
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
        Map<String, Object> r = header("sweep");
        r.put("max_clean_pps", plan.maxClean());
        r.put("first_fail_pps", plan.firstFail() == 0 ? null : plan.firstFail());
        r.put("limited_by", plan.limitedBy());
        r.put("step_seconds", o.stepSeconds);
        r.put("loss_limit_pct", o.lossLimitPct);
        r.put("p50_limit_us", o.p50LimitUs);
        r.put("relay_restarts", restarts);
        r.put("at_max", best == null ? null : best.toJson());
        r.put("steps", steps);
        err.print(table);
        err.printf("highest clean rate %d pps (first failing %s, limited by %s)%n", plan.maxClean(),
                plan.firstFail() == 0 ? "-" : plan.firstFail() + " pps", plan.limitedBy());
        return r;
    }

    private Map<String, Object> idleMemory() throws IOException {
        // Round one runs on a fresh relay: the JIT compiles the allocation path and the heap pages
        // that its garbage passes through become resident, once. Round two, after every channel
        // of round one is destroyed, measures what idle channels cost a relay that has run a while.
        long coldBefore = ProcessStats.rssKb(pid);
        List<RelayClient.Channel> warmUp = allocate(o.flows);
        sleep(IDLE_SETTLE_MS);
        long coldAfter = ProcessStats.rssKb(pid);
        destroy(warmUp);
        sleep(IDLE_SETTLE_MS);
        long before = ProcessStats.rssKb(pid);
        HeapHistogram heapBefore = heap();
        allocate(o.flows);
        sleep(IDLE_SETTLE_MS);
        long after = ProcessStats.rssKb(pid);
        HeapHistogram heapAfter = heap();
        checkAlive();
        Map<String, Object> r = header("idle-mem");
        r.put("channels", o.flows);
        r.put("rtcp", o.rtcp);
        r.put("rss_kb_cold_before", coldBefore);
        r.put("rss_kb_cold_after", coldAfter);
        r.put("rss_kb_per_channel_cold", (double) (coldAfter - coldBefore) / o.flows);
        r.put("rss_kb_before", before);
        r.put("rss_kb_after", after);
        double kbPerChannel = (double) (after - before) / o.flows;
        r.put("rss_kb_per_channel", kbPerChannel);
        Double heapPerChannel = null;
        if (heapBefore != null && heapAfter != null) {
            heapPerChannel = (double) (heapAfter.totalBytes - heapBefore.totalBytes) / o.flows;
            r.put("heap_bytes_before", heapBefore.totalBytes);
            r.put("heap_bytes_after", heapAfter.totalBytes);
            r.put("heap_bytes_per_channel", heapPerChannel);
            r.put("heap_top_growth", heapAfter.growth(heapBefore, o.flows, 8));
        }
        r.put("fds", ProcessStats.openFiles(pid));
        r.put("threads", ProcessStats.threads(pid));
        r.put("alloc_s", allocSeconds);
        err.printf("relay.bench idle-mem: %d idle channels (%s), %s%n", o.flows, o.rtcp ? "RTP+RTCP" : "RTP only",
                relayLabel());
        err.print(new Table("round", "RSS MB before", "RSS MB after", "RSS KB/channel", "heap bytes/channel", "fds")
                .row("first (cold)", coldBefore / 1024.0, coldAfter / 1024.0, r.get("rss_kb_per_channel_cold"), "-", "-")
                .row("second", before / 1024.0, after / 1024.0, kbPerChannel,
                        heapPerChannel == null ? "-" : heapPerChannel, r.get("fds")));
        return r;
    }

    private HeapHistogram heap() {
        try {
            return HeapHistogram.of(pid);
        } catch (IOException | IllegalArgumentException e) {
            err.println("relay.bench: no heap figures: " + e.getMessage());
            return null;
        }
    }

    /** Samples CPU time of the relay and of this generator exactly around one window. */
    private Measurement measure(TrafficEngine engine, double rate, int seconds) throws IOException {
        long quietWait = pressure.awaitQuiet();
        if (quietWait > 0) {
            err.printf("relay.bench: waited %.1f s for other processes to leave the CPUs alone%n", quietWait / 1000.0);
        }
        Set<Integer> clientPorts = engine.clientPorts();
        long relayDrops0 = UdpDrops.of(relayPorts);
        long genDrops0 = UdpDrops.of(clientPorts);
        long stall0 = CpuPressure.someTotalMicros();
        double relay0 = pid == null ? Double.NaN : ProcessStats.cpuSeconds(pid);
        double gen0 = ProcessStats.cpuSeconds(SELF);
        long t0 = System.nanoTime();
        Window w = engine.measure(rate, TimeUnit.SECONDS.toNanos(seconds));
        long t1 = System.nanoTime();
        double relay1 = pid == null ? Double.NaN : ProcessStats.cpuSeconds(pid);
        double gen1 = ProcessStats.cpuSeconds(SELF);
        long stall1 = CpuPressure.someTotalMicros();
        long relayDrops1 = UdpDrops.of(relayPorts);
        long genDrops1 = UdpDrops.of(clientPorts);
        long rss = pid == null ? -1 : ProcessStats.rssKb(pid);
        double stallMs = stall0 < 0 || stall1 < 0 ? Double.NaN : (stall1 - stall0) / 1000.0;
        return new Measurement(w, (t1 - t0) / 1e9, relay1 - relay0, gen1 - gen0, rss, stallMs, quietWait,
                relayDrops0 < 0 || relayDrops1 < 0 ? -1 : relayDrops1 - relayDrops0,
                genDrops0 < 0 || genDrops1 < 0 ? -1 : genDrops1 - genDrops0);
    }

    private Map<String, Object> header(String mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("relay", o.relayName());
        r.put("pid", pid);
        r.put("flows", o.flows);
        r.put("io_threads", o.external() ? null : o.ioThreads);
        if (o.mode != BenchOptions.Mode.IDLE_MEM) {
            r.put("size", o.size);
            r.put("seconds", o.mode == BenchOptions.Mode.SWEEP ? o.stepSeconds : o.seconds);
            r.put("warmup_s", o.warmup);
            r.put("spin", o.spin);
            r.put("gen_cpus", o.genCpus);
        }
        r.put("relay_cpus", o.external() ? null : o.relayCpus);
        return r;
    }

    private String relayLabel() {
        return o.external() ? "relay at " + o.relayName() + (pid == null ? " (no --pid: no CPU figures)" : " pid " + pid)
                : "relay.jar pid " + pid + ", io.threads " + o.ioThreads
                        + (o.relayCpus == null ? "" : ", relay on CPU " + o.relayCpus + ", generator on CPU " + o.genCpus);
    }

    private void startRelay() throws IOException {
        if (o.external()) {
            pid = o.pid;
            if (pid != null && !ProcessStats.alive(pid)) {
                throw new IllegalArgumentException("--pid " + pid + " is not a running process");
            }
            if (o.url != null) {
                client = new RelayClient(o.url, o.token);
                client.stats();                          // fails clearly if nothing answers there
            }
        } else {
            if (clusterPrefix != null) {                 // before a relay that would deny every allocation
                try (RedisKeys redis = new RedisKeys(o.cluster)) { // it pings Redis
                    redis.keys(clusterPrefix);
                } catch (IOException e) {
                    throw new IOException("--cluster: " + e.getMessage(), e);
                }
            }
            clusterUsed = clusterPrefix != null;
            process = RelayProcess.start(o, clusterPrefix);
            client = new RelayClient(process.url(), null);
            pid = process.pid();
            awaitConfigured();
            if (clusterPrefix != null) {
                awaitClusterNode();
            }
        }
    }

    private void restartRelay() throws IOException {
        RelayProcess old = process;
        process = null;
        old.close();
        startRelay();
    }

    /**
     * FileInstall hands the bench's etc/*.cfg to the components shortly after start: until then
     * the whitelist may deny and the port range be the default. One probe channel, retried while
     * refused (403, 503) or outside the bench's port range, shows the configuration is in force.
     */
    private void awaitConfigured() throws IOException {
        long deadline = System.nanoTime() + CONFIGURE_TIMEOUT_NANOS;
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            checkAlive();
            try {
                RelayClient.Channel c = client.allocate("bench-probe@localhost");
                client.destroy(c.id());
                int a = c.a().getPort();
                if (a >= o.portMin && a <= o.portMax) {
                    return;
                }
                last = "probe channel got port " + a + ", outside " + o.portMin + "-" + o.portMax;
            } catch (RelayClient.AnswerException e) {
                if (e.status != 403 && e.status != 503) {
                    throw e;
                }
                last = e.getMessage();
            }
            sleep(250);
        }
        throw new IllegalStateException("the relay did not take the bench configuration within 30 s: " + last);
    }

    private List<RelayClient.Channel> allocate(int n) throws IOException {
        List<RelayClient.Channel> channels = o.channelsFile != null ? ChannelFile.read(o.channelsFile, n) : request(n);
        relayPorts = new HashSet<>();
        for (RelayClient.Channel c : channels) {
            for (InetSocketAddress a : c.relayAddresses()) {
                relayPorts.add(a.getPort());
            }
        }
        return channels;
    }

    private void destroy(List<RelayClient.Channel> channels) throws IOException {
        for (RelayClient.Channel c : channels) {
            client.destroy(c.id());
            allocatedElsewhere.remove(c.id());
        }
    }

    private List<RelayClient.Channel> request(int n) throws IOException {
        List<RelayClient.Channel> channels = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try {
                RelayClient.Channel c = client.allocate("bench" + i + "@localhost");
                channels.add(c);
                if (o.url != null) {
                    allocatedElsewhere.add(c.id());
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("allocation " + (i + 1) + " of " + n + " failed: " + e.getMessage(), e);
            }
        }
        allocSeconds = (System.nanoTime() - t0) / 1e9;
        if (pid != null) {
            rssIdleKb = ProcessStats.rssKb(pid);
        }
        return channels;
    }

    private void checkAlive() {
        RelayProcess p = process;
        if (p != null && !p.alive()) {
            p.failed();
            throw new IllegalStateException("the relay died:\n" + p.tail(20));
        }
        if (p == null && pid != null && !ProcessStats.alive(pid)) {
            throw new IllegalStateException("the relay process " + pid + " is gone");
        }
    }

    /**
     * Pins this JVM (all its threads) to the generator's CPUs, away from the relay's, and raises
     * its priority as the relay's ({@code --prio nice}), so that neither is the first to yield to
     * other processes on a shared machine.
     */
    private void placeSelf() {
        if (o.genCpus != null) {
            command("pin the generator to CPU " + o.genCpus, "taskset", "-a", "-cp", o.genCpus, Long.toString(SELF));
        }
        if (o.nice) {
            List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(BenchOptions.NICE), "-p"));
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(t -> cmd.add(t.getFileName().toString()));
            } catch (IOException e) {
                cmd.add(Long.toString(SELF));
            }
            command("raise the generator's priority", cmd.toArray(String[]::new));
        }
    }

    private void command(String what, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                err.println("relay.bench: could not " + what);
            }
        } catch (IOException e) {
            err.println("relay.bench: could not " + what + " (" + cmd[0] + " missing)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks a failed run: the relay's folder (with its log) is kept. */
    void failed() {
        RelayProcess p = process;
        if (p != null) {
            p.failed();
        }
    }

    /** Kills the relay at once (time limit, interrupt); the folder stays for a look. */
    void kill() {
        RelayProcess p = process;
        if (p != null) {
            p.failed();
            p.kill();
        }
    }

    @Override
    public void close() {
        for (String id : allocatedElsewhere) {            // leave a running relay as we found it
            try {
                client.destroy(id);
            } catch (IOException e) {
                err.println("relay.bench: could not destroy channel " + id + ": " + e.getMessage());
                break;
            }
        }
        allocatedElsewhere.clear();
        RelayProcess p = process;
        process = null;
        if (p != null) {
            p.close();
        }
        if (clusterUsed) {                                // after the node left: nothing writes there any more
            try (RedisKeys redis = new RedisKeys(o.cluster)) {
                long n = redis.deleteAll(clusterPrefix);
                err.println("relay.bench: removed " + n + " keys under " + clusterPrefix + " from Redis");
            } catch (IOException e) {
                err.println("relay.bench: could not remove the keys under " + clusterPrefix + " from Redis at "
                        + redacted(o.cluster) + ": " + e.getMessage());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
