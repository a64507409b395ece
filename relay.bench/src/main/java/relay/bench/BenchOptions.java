package relay.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of the bench, validated: every run is bounded in time and size, and a bad
 * option stops the bench before anything starts, with a message naming the option.
 */
final class BenchOptions {

    enum Mode { FIXED, SWEEP, IDLE_MEM, FLOOD, ALLOC_RATE, ALLOC_INPROCESS }

    /**
     * Source ports of the flood's sockets: live relay ports (a foreign datagram whose source port
     * is one of the relay's own meets the relay's loop guard), ports outside every range the bench
     * uses (a plain foreign-source drop), or half of each.
     */
    enum FloodPorts { MIXED, RELAY, OTHER }

    static final String USAGE = """
            usage: java -jar relay.bench.jar [options]

            Starts cnf/target/relay.jar in a temporary folder with bench settings (or uses a
            running relay, --url), allocates the channels over REST, sends RTP-shaped datagrams
            through every channel in both directions on 127.0.0.1 and prints one JSON line on
            stdout and a short table on stderr.

            mode (default: one fixed-rate run)
              --sweep                raise the rate x--sweep-factor per step until a step loses
                                     more than --loss-limit %, then bisect; report the highest
                                     clean rate
              --idle-mem             allocate --flows channels, send nothing, report RSS and heap
                                     per channel
              --foreign-flood PPS    spoofed-source datagrams at every live relay port (RTP and
                                     RTCP, both sides) at PPS in total, from a thread pinned with
                                     the generator (--gen-cpus), during the warm-up and then in
                                     the third of each round's three windows of --seconds with the
                                     flows running: no flood, the flood at a sink of the bench's
                                     own (control), the flood at the relay; report the relay's
                                     drops, its CPU per dropped datagram and the flows' p99 with
                                     and without the flood, with pass/fail targets
              --alloc-rate N         over one REST keep-alive connection, allocate N channels
                                     (users bench-0@localhost ...) and DELETE them, in rounds:
                                     --alloc-warmup-rounds unmeasured, then --alloc-rounds; report
                                     allocations and deletions per second and the allocation
                                     latency p50/p99 per round and as medians (any answer other
                                     than 201 or 204 fails the run); N 1..10000
              --alloc-rate-inprocess N
                                     the same from one thread through RelayService of a real
                                     relay core started in this JVM (no REST, no policies, no
                                     relay.jar): ports 40000-49999 on 127.0.0.1 without RTCP,
                                     io.threads --io-threads, io.engine --io-engine (on this
                                     JVM: ffm needs Java 22+), no pinning; N 1..5000
            allocation rate
              --alloc-rounds R       measured rounds after the warm-up, 1..20 (default 3)
              --alloc-warmup-rounds W
                                     unmeasured rounds first, 0..20 (default 1); a relay.jar
                                     pinned to one CPU needs 5 or 6 rounds of 5000 before its
                                     JIT is warm (README, "Allocation rate")
              --cluster REDIS_URI    (a relay the bench starts) run it as cluster node "bench"
                                     on that Redis (redis://host:port/db) under a key prefix of
                                     its own, removed afterwards; without it the bench's relay
                                     never runs a cluster configuration
            traffic
              --flows N              channels, 1..10000 (default 100)
              --rate PPS             total packets/s, all flows and both directions
                                     (default 100 per flow: 50 per direction)
              --seconds S            measurement window, 1..60 (default 5)
              --warmup S             unmeasured traffic first, for the JIT, 0..30 (default 2)
              --size BYTES           datagram size, 44..8192 (default 172: RTP header + 160)
              --client-base PORT     client ports X=PORT+2i, Y=PORT+2i+1; 0 = any free port
                                     (default: 40000, or 50000 if that range is busy)
              --no-spin              sleep between sends instead of busy-polling
              --metrics-png FILE     (fixed runs) scrape the relay's GET /metrics once a second
                                     from before the allocation to the end of the window and
                                     draw the Grafana dashboard's main panels from the
                                     scrapes into FILE (PNG)
            sweep
              --sweep-start PPS (20000)  --sweep-factor X (1.5)  --max-steps N (10, <= 12)
              --step-seconds S (3, <= 10)  --loss-limit PCT (0.5)
              --p50-limit-us US      a step whose median latency exceeds this is not clean
                                     (a standing queue); 0 = off (default 10000)
            foreign flood
              --flood-from LIST      source addresses, 1..256, none of them 127.0.0.1: A or A-N
                                     (last byte up to N), comma separated (default 127.0.0.2-17;
                                     a non-loopback address of this host also works)
              --flood-ports P        source ports: mixed (default), relay (live relay ports: the
                                     loop guard's case) or other (61000 and up)
              --flood-rounds N       rounds of the three windows, 1..10 (default 3); the report
                                     gives the medians over the rounds no other process disturbed
            relay started by the bench
              --relay-jar PATH       (default cnf/target/relay.jar)
              --relay-etc DIR        default etc/*.cfg to start from (default: the folder
                                     next to the jar's module that holds relay.core.cfg)
              --io-threads N         relay io.threads, 1..64 (default 1)
              --io-engine E          relay io.engine: auto, nio or ffm (default: the relay's, auto)
              --relay-ports MIN-MAX  relay port range (default 20000-39998)
              --no-rtcp              channels without RTCP ports
              --http-port PORT       REST port of the relay (default 18480)
              --relay-jvm "OPTS"     extra JVM options for the relay (e.g. -XX:StartFlightRecording=...)
              --keep                 keep the relay's work folder (always kept on failure)
            running relay
              --url URL              REST base, e.g. http://127.0.0.1:8480/relay
              --pid PID              its process, for CPU and memory figures
              --token TOKEN          bearer token of the REST API
              --channels-file FILE   channels already open, one "portA portB" line each on
                                     127.0.0.1 (any relay, e.g. the shell bench's references);
                                     --pid for CPU figures
            placement
              --relay-cpus LIST      CPUs for the relay (taskset; default 1 on a 2+ CPU machine)
              --gen-cpus LIST        CPUs for this generator (default 0 on a 2+ CPU machine)
              --no-pin               no pinning
              --prio nice|normal     nice: relay and generator at nice -10, the foreign flood's
                                     thread under SCHED_FIFO (default; needs root, else all stay
                                     at normal priority)
              --no-lock              do not take /tmp/relay-bench.lock (one bench at a time)
            """;

    Mode mode = Mode.FIXED;
    int flows = 100;
    Integer rate;
    int seconds = 5;
    int warmup = 2;
    int size = RtpPacket.DEFAULT_SIZE;
    Integer clientBase;
    boolean spin = true;
    Path metricsPng;

    int sweepStart = 20_000;
    double sweepFactor = 1.5;
    int maxSteps = 10;
    int stepSeconds = 3;
    double lossLimitPct = 0.5;
    int p50LimitUs = 10_000;

    Integer allocChannels;
    int allocRounds = 3;
    int allocWarmupRounds = 1;
    URI cluster;

    /** The in-process relay's ports for --alloc-rate-inprocess: 5000 channels without RTCP. */
    static final int INPROCESS_PORT_MIN = 40_000;
    static final int INPROCESS_PORT_MAX = 49_999;
    static final int MAX_INPROCESS_CHANNELS = (INPROCESS_PORT_MAX - INPROCESS_PORT_MIN + 1) / 2;

    Integer floodPps;
    List<InetAddress> floodFrom = DEFAULT_FLOOD_FROM;
    String floodFromText = "127.0.0.2-17";
    FloodPorts floodPorts = FloodPorts.MIXED;
    int floodRounds = 3;

    Path relayJar = Path.of("cnf", "target", "relay.jar");
    Path relayEtc;
    int ioThreads = 1;
    /** The relay's io.engine, or null for its default. */
    String ioEngine;
    int portMin = 20_000;
    int portMax = 39_998;
    boolean rtcp = true;
    int httpPort = 18_480;
    List<String> relayJvm = List.of();
    boolean keep;

    URI url;
    Path channelsFile;
    Long pid;
    String token;

    /** 127.0.0.2 to 127.0.0.17: sixteen loopback sources, none of them the flows' own 127.0.0.1. */
    static final List<InetAddress> DEFAULT_FLOOD_FROM = addresses("--flood-from", "127.0.0.2-17");
    static final int MAX_FLOOD_SOURCES = 256;

    /** Niceness of relay and generator with --prio nice (the shell bench's setting). */
    static final int NICE = -10;

    String relayCpus;
    boolean nice = true;
    String genCpus;
    boolean lock = true;
    boolean help;

    /** Total packets per second to offer: --rate, or 50 per direction per flow. */
    int totalRate() {
        return rate != null ? rate : 100 * flows;
    }

    /** True when the bench uses a relay it did not start (by URL or by a channel file). */
    boolean external() {
        return url != null || channelsFile != null;
    }

    /** What is measured, for the report: relay.jar, the URL or the channel file. */
    String relayName() {
        if (mode == Mode.ALLOC_INPROCESS) {
            return "in-process relay core";
        }
        return url != null ? url.toString() : channelsFile != null ? channelsFile.toString() : "relay.jar";
    }

    static BenchOptions parse(String... args) {
        return parse(Runtime.getRuntime().availableProcessors(), args);
    }

    static BenchOptions parse(int processors, String... args) {
        BenchOptions o = new BenchOptions();
        boolean pin = true;
        boolean jarGiven = false;
        List<String> modes = new ArrayList<>();
        List<String> floodOptions = new ArrayList<>();
        List<String> allocOptions = new ArrayList<>();
        List<String> relayOptions = new ArrayList<>();
        Args a = new Args(args);
        while (a.hasNext()) {
            String opt = a.next();
            switch (opt) {
                case "-h", "--help" -> o.help = true;
                case "--sweep" -> { o.mode = Mode.SWEEP; modes.add(opt); }
                case "--idle-mem" -> { o.mode = Mode.IDLE_MEM; modes.add(opt); }
                case "--foreign-flood" -> {
                    o.mode = Mode.FLOOD;
                    modes.add(opt);
                    o.floodPps = a.integer(opt, 1, 1_000_000);
                }
                case "--alloc-rate" -> {
                    o.mode = Mode.ALLOC_RATE;
                    modes.add(opt);
                    o.allocChannels = a.integer(opt, 1, 10_000);
                }
                case "--alloc-rate-inprocess" -> {
                    o.mode = Mode.ALLOC_INPROCESS;
                    modes.add(opt);
                    o.allocChannels = a.integer(opt, 1, MAX_INPROCESS_CHANNELS);
                }
                case "--alloc-rounds" -> { o.allocRounds = a.integer(opt, 1, 20); allocOptions.add(opt); }
                case "--alloc-warmup-rounds" -> { o.allocWarmupRounds = a.integer(opt, 0, 20); allocOptions.add(opt); }
                case "--cluster" -> o.cluster = redisUri(opt, a.value(opt));
                case "--flood-from" -> {
                    o.floodFromText = a.value(opt);
                    o.floodFrom = addresses(opt, o.floodFromText);
                    floodOptions.add(opt);
                }
                case "--flood-ports" -> { o.floodPorts = floodPorts(opt, a.value(opt)); floodOptions.add(opt); }
                case "--flood-rounds" -> { o.floodRounds = a.integer(opt, 1, 10); floodOptions.add(opt); }
                case "--flows" -> o.flows = a.integer(opt, 1, 10_000);
                case "--rate" -> o.rate = a.integer(opt, 1, 2_000_000);
                case "--seconds" -> o.seconds = a.integer(opt, 1, 60);
                case "--warmup" -> o.warmup = a.integer(opt, 0, 30);
                case "--size" -> o.size = a.integer(opt, RtpPacket.MIN_SIZE, RtpPacket.MAX_SIZE);
                case "--client-base" -> o.clientBase = a.integer(opt, 0, 65_534);
                case "--no-spin" -> o.spin = false;
                case "--metrics-png" -> o.metricsPng = Path.of(a.value(opt));
                case "--sweep-start" -> o.sweepStart = a.integer(opt, 1_000, 2_000_000);
                case "--sweep-factor" -> o.sweepFactor = a.decimal(opt, 1.05, 4);
                case "--max-steps" -> o.maxSteps = a.integer(opt, 1, 12);
                case "--step-seconds" -> o.stepSeconds = a.integer(opt, 1, 10);
                case "--loss-limit" -> o.lossLimitPct = a.decimal(opt, 0, 100);
                case "--p50-limit-us" -> o.p50LimitUs = a.integer(opt, 0, 10_000_000);
                case "--relay-jar" -> { o.relayJar = Path.of(a.value(opt)); jarGiven = true; relayOptions.add(opt); }
                case "--relay-etc" -> { o.relayEtc = Path.of(a.value(opt)); relayOptions.add(opt); }
                case "--io-threads" -> o.ioThreads = a.integer(opt, 1, 64);
                case "--io-engine" -> {
                    o.ioEngine = a.value(opt);
                    if (!List.of("auto", "nio", "ffm").contains(o.ioEngine)) {
                        throw new IllegalArgumentException("--io-engine must be auto, nio or ffm, not " + o.ioEngine);
                    }
                }
                case "--relay-ports" -> { o.portRange(opt, a.value(opt)); relayOptions.add(opt); }
                case "--no-rtcp" -> { o.rtcp = false; relayOptions.add(opt); }
                case "--http-port" -> { o.httpPort = a.integer(opt, 1, 65_535); relayOptions.add(opt); }
                case "--relay-jvm" -> { o.relayJvm = words(a.value(opt)); relayOptions.add(opt); }
                case "--keep" -> { o.keep = true; relayOptions.add(opt); }
                case "--url" -> o.url = url(opt, a.value(opt));
                case "--channels-file" -> o.channelsFile = Path.of(a.value(opt));
                case "--pid" -> o.pid = (long) a.integer(opt, 1, Integer.MAX_VALUE);
                case "--token" -> o.token = a.value(opt);
                case "--relay-cpus" -> o.relayCpus = cpuList(opt, a.value(opt));
                case "--gen-cpus" -> o.genCpus = cpuList(opt, a.value(opt));
                case "--no-pin" -> pin = false;
                case "--no-lock" -> o.lock = false;
                case "--prio" -> o.nice = priority(opt, a.value(opt));
                default -> throw new IllegalArgumentException("unknown option " + opt + " (--help lists them)");
            }
        }
        if (modes.size() > 1) {
            throw new IllegalArgumentException("choose one of " + String.join(" and ", modes));
        }
        if (!floodOptions.isEmpty() && o.mode != Mode.FLOOD) {
            throw new IllegalArgumentException(String.join(" and ", floodOptions) + " go with --foreign-flood");
        }
        boolean alloc = o.mode == Mode.ALLOC_RATE || o.mode == Mode.ALLOC_INPROCESS;
        if (!allocOptions.isEmpty() && !alloc) {
            throw new IllegalArgumentException(String.join(" and ", allocOptions)
                    + " go with --alloc-rate or --alloc-rate-inprocess");
        }
        if (o.mode == Mode.ALLOC_INPROCESS) {
            List<String> refused = new ArrayList<>(relayOptions);
            for (String[] given : new String[][] {{o.url == null ? null : "--url"},
                    {o.channelsFile == null ? null : "--channels-file"}, {o.pid == null ? null : "--pid"},
                    {o.cluster == null ? null : "--cluster"}}) {
                if (given[0] != null) {
                    refused.add(given[0]);
                }
            }
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("--alloc-rate-inprocess starts a relay core in the bench's own JVM:"
                        + " not with " + String.join(", ", refused) + " (options of a relay process)");
            }
            pin = false;                                  // the core's threads and the caller share this JVM
        }
        if (o.mode == Mode.ALLOC_RATE && o.channelsFile != null) {
            throw new IllegalArgumentException("--alloc-rate allocates over REST: not with --channels-file");
        }
        if (o.cluster != null && o.external()) {
            throw new IllegalArgumentException("--cluster configures a relay the bench starts: not with --url or"
                    + " --channels-file");
        }
        if ((o.url != null ? 1 : 0) + (o.channelsFile != null ? 1 : 0) + (jarGiven ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--url, --channels-file and --relay-jar exclude each other:"
                    + " use a running relay or start one");
        }
        if (o.metricsPng != null && (o.mode != Mode.FIXED || o.channelsFile != null)) {
            throw new IllegalArgumentException("--metrics-png goes with a fixed run on a relay with a REST API"
                    + " (not with --sweep, --idle-mem, --foreign-flood or --channels-file)");
        }
        if (o.pid != null && !o.external()) {
            throw new IllegalArgumentException("--pid goes with --url or --channels-file (a relay the bench starts"
                    + " is measured anyway)");
        }
        if (o.mode == Mode.IDLE_MEM && o.channelsFile != null) {
            throw new IllegalArgumentException("--idle-mem allocates channels over REST: not with --channels-file");
        }
        if (o.mode == Mode.IDLE_MEM && o.url != null && o.pid == null) {
            throw new IllegalArgumentException("--idle-mem on a running relay needs its --pid");
        }
        if (o.clientBase != null && o.clientBase != 0 && o.clientBase + 2 * o.flows - 1 > 65_535) {
            throw new IllegalArgumentException("--client-base " + o.clientBase + " leaves no room for " + o.flows
                    + " flows (2 ports each)");
        }
        // port.max may be the last RTP port (its RTCP port one above): 20000-39998 holds 5000 channels with RTCP
        int capacity = o.rtcp ? (o.portMax - o.portMin + 2) / 4 : (o.portMax - o.portMin + 1) / 2;
        int wanted = o.mode == Mode.ALLOC_RATE ? o.allocChannels : o.flows;
        if (!o.external() && o.mode != Mode.ALLOC_INPROCESS && capacity < wanted) {
            throw new IllegalArgumentException("--relay-ports " + o.portMin + "-" + o.portMax + " cannot hold "
                    + wanted + " channels (" + (o.rtcp ? 4 : 2) + " ports each)");
        }
        if (pin && processors >= 2) {
            if (o.relayCpus == null) {
                o.relayCpus = "1";
            }
            if (o.genCpus == null) {
                o.genCpus = "0";
            }
        } else if (!pin) {
            o.relayCpus = null;
            o.genCpus = null;
        }
        return o;
    }

    private void portRange(String opt, String value) {
        String[] parts = value.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(opt + " wants MIN-MAX, e.g. 20000-39998, not '" + value + "'");
        }
        int min = Args.parseInt(opt, parts[0], 1024, 65_535);
        int max = Args.parseInt(opt, parts[1], 1024, 65_535);
        if (min >= max) {
            throw new IllegalArgumentException(opt + ": MIN must be below MAX in '" + value + "'");
        }
        if (max >= 40_000 && min <= 59_999) {
            throw new IllegalArgumentException(opt + " " + value + " overlaps the client ports 40000-59999");
        }
        portMin = min;
        portMax = max;
    }

    /**
     * A list of IPv4 source addresses: {@code A} or {@code A-N}, where N is the last byte of the
     * range's end ({@code 127.0.0.2-17}), comma separated; duplicates are dropped, 127.0.0.1 (the
     * flows' own address) and more than {@link #MAX_FLOOD_SOURCES} addresses are refused. Whether
     * this host can send from them is found out when the flood binds its sockets.
     */
    static List<InetAddress> addresses(String opt, String value) {
        List<InetAddress> list = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String t = item.trim();
            String[] range = t.split("-", -1);
            if (range.length > 2 || !range[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException(opt + " wants IPv4 addresses such as 127.0.0.2 or 127.0.0.2-17,"
                        + " comma separated, not '" + t + "'");
            }
            byte[] b = new byte[4];
            String[] octets = range[0].split("\\.");
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Args.parseInt(opt, octets[i], 0, 255);
            }
            int first = b[3] & 0xFF;
            int last = range.length == 2 ? Args.parseInt(opt, range[1], first, 255) : first;
            for (int x = first; x <= last; x++) {
                b[3] = (byte) x;
                InetAddress address;
                try {
                    address = InetAddress.getByAddress(b);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(opt + ": '" + t + "'", e);
                }
                if (!(address instanceof Inet4Address) || address.isAnyLocalAddress() || address.isMulticastAddress()
                        || (b[0] == 127 && b[1] == 0 && b[2] == 0 && x == 1)) {
                    throw new IllegalArgumentException(opt + ": " + address.getHostAddress() + " cannot be a flood source"
                            + " (127.0.0.1 is the flows' own address)");
                }
                if (!list.contains(address)) {
                    list.add(address);
                }
                if (list.size() > MAX_FLOOD_SOURCES) {
                    throw new IllegalArgumentException(opt + " names more than " + MAX_FLOOD_SOURCES + " addresses");
                }
            }
        }
        return List.copyOf(list);
    }

    private static FloodPorts floodPorts(String opt, String value) {
        return switch (value) {
            case "mixed" -> FloodPorts.MIXED;
            case "relay" -> FloodPorts.RELAY;
            case "other" -> FloodPorts.OTHER;
            default -> throw new IllegalArgumentException(opt + " wants mixed, relay or other, not '" + value + "'");
        };
    }

    private static URI url(String opt, String value) {
        try {
            URI u = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException(opt + " wants an http(s) URL such as http://127.0.0.1:8480/relay, not '"
                        + value + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(opt + ": not a URL: '" + value + "'", e);
        }
    }

    /** A Redis URI as the cluster takes it: redis:// or rediss://, a host, and an optional database /0 to /15. */
    static URI redisUri(String opt, String value) {
        try {
            URI u = new URI(value.trim());
            if ((!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme())) || u.getHost() == null
                    || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().matches("/([0-9]|1[0-5])?"))) {
                throw new IllegalArgumentException(opt + " wants a Redis URI such as redis://127.0.0.1:6379/0, not '"
                        + value + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(opt + ": not a URI: '" + value + "'", e);
        }
    }

    private static String cpuList(String opt, String value) {
        if (!value.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new IllegalArgumentException(opt + " wants a CPU list such as 1 or 0,2-3, not '" + value + "'");
        }
        return value;
    }

    private static boolean priority(String opt, String value) {
        return switch (value) {
            case "nice" -> true;
            case "normal" -> false;
            default -> throw new IllegalArgumentException(opt + " wants nice or normal, not '" + value + "'");
        };
    }

    private static List<String> words(String value) {
        String t = value.trim();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    /** The remaining command line, with typed access to option values. */
    private static final class Args {
        private final String[] args;
        private int i;

        Args(String[] args) {
            this.args = args;
        }

        boolean hasNext() {
            return i < args.length;
        }

        String next() {
            return args[i++];
        }

        String value(String opt) {
            if (i >= args.length) {
                throw new IllegalArgumentException(opt + " needs a value");
            }
            return args[i++];
        }

        int integer(String opt, int min, int max) {
            return parseInt(opt, value(opt), min, max);
        }

        double decimal(String opt, double min, double max) {
            String v = value(opt);
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " wants a number, not '" + v + "'");
            }
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(opt + " must be " + min + ".." + max + ", not " + v);
            }
            return d;
        }

        static int parseInt(String opt, String v, int min, int max) {
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " wants a whole number, not '" + v + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(opt + " must be " + min + ".." + max + ", not " + n);
            }
            return n;
        }
    }
}
