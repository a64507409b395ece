package relay.bench;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The foreign flood: datagrams from sources the relay never latched (other addresses than the
 * flows' 127.0.0.1, each with a few source ports), sent at a fixed total rate to a list of
 * targets, on a thread of its own so that the generator's thread keeps its timing. The thread is
 * started by the generator's thread after the bench pinned and reniced it, so it inherits the
 * generator's CPUs and priority; asked to, it puts itself under SCHED_FIFO.
 *
 * <p>Each send goes to the next target, round-robin, from source socket (round + target) mod
 * sources, where the round counts the passes over the targets: consecutive sends leave from
 * different sockets, and every source meets every target whatever the two numbers are. The
 * thread sends what is due, then sleeps until the next datagram is due, at least
 * {@link #TICK_NANOS}: small bursts (at most {@link #MAX_BURST}), few wake-ups. A thread more
 * than 20 ms behind its schedule skips the backlog rather than bursting, as the generator does.
 * The datagrams are RTP-shaped ({@code size} bytes, V=2, an SSRC of no flow, 0xFF payload) but
 * are not probes of the bench: one the relay forwarded to a flow would be counted as stray there.
 */
final class FloodSender implements Closeable {

    /** Source sockets per source address. */
    static final int PORTS_PER_ADDRESS = 4;
    /** First source port for {@link BenchOptions.FloodPorts#OTHER}: above the relay's, the clients' and the kernel's ranges. */
    static final int OTHER_PORT_BASE = 61_000;
    static final int SSRC = 0xF100D000;
    private static final long TICK_NANOS = 100_000;
    /**
     * Datagrams per burst at most: a flood faster than the thread can send is offered at the rate
     * it can (a real-time thread that never slept would leave the generator no CPU).
     */
    private static final int MAX_BURST = 64;
    private static final long MAX_LAG_NANOS = 20_000_000;

    /** Where one source socket binds: {@code relayPort} true when the port is one of the relay's live ports. */
    record Source(InetAddress address, int port, boolean relayPort) {
    }

    /**
     * What one run of the flood did. {@code cpuSeconds} is its thread's CPU time, {@code waitSeconds}
     * the time it waited for a CPU while runnable (NaN where the kernel does not tell).
     */
    record Result(long sent, long sendFull, long errors, long skipped, double seconds, double cpuSeconds,
            double waitSeconds) {
        static final Result NONE = new Result(0, 0, 0, 0, 0, 0, 0);

        double offeredPps() {
            return seconds > 0 ? sent / seconds : 0;
        }

        /** CPU time of the flood's thread over its run time: 1.0 is one core fully busy. */
        double cpuUtil() {
            return seconds > 0 ? cpuSeconds / seconds : 0;
        }

        /**
         * How long the flood's thread was runnable (running or waiting for a CPU), in ms: on CPUs
         * it shares with the generator, the time some task of the bench itself waited for a CPU
         * because of the flood, which the kernel's CPU pressure counts as well.
         */
        double busyMs() {
            return Double.isNaN(waitSeconds) ? Double.NaN : (cpuSeconds + waitSeconds) * 1000;
        }
    }

    private final List<DatagramChannel> sockets;
    private final ByteBuffer tx;
    private final boolean realtime;
    private volatile String policy = "normal";
    private volatile boolean running;
    private Thread thread;
    private volatile Result result;

    /**
     * Where the flood's sockets bind: {@link #PORTS_PER_ADDRESS} per address; with
     * {@code RELAY} their ports are the relay's live ports in turn, with {@code OTHER} ports from
     * {@link #OTHER_PORT_BASE} up (the first free one is taken when bound), with {@code MIXED}
     * the two alternate.
     */
    static List<Source> plan(List<InetAddress> addresses, BenchOptions.FloodPorts mode, List<Integer> relayPorts) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no flood source addresses");
        }
        if (mode != BenchOptions.FloodPorts.OTHER && relayPorts.isEmpty()) {
            throw new IllegalArgumentException("no relay ports to take source ports from");
        }
        List<Source> plan = new ArrayList<>();
        int relayNext = 0;
        int otherNext = OTHER_PORT_BASE;
        for (InetAddress address : addresses) {
            for (int i = 0; i < PORTS_PER_ADDRESS; i++) {
                boolean relay = mode == BenchOptions.FloodPorts.RELAY
                        || mode == BenchOptions.FloodPorts.MIXED && i % 2 == 0;
                if (relay) {
                    plan.add(new Source(address, relayPorts.get(relayNext++ % relayPorts.size()), true));
                } else {
                    plan.add(new Source(address, otherNext++, false));
                }
            }
        }
        return plan;
    }

    /**
     * Binds a socket for every source of the plan. A source on another port than the relay's
     * takes the next free port above its own when its own is busy.
     */
    FloodSender(List<Source> plan, int size) throws IOException {
        this(plan, size, false);
    }

    /**
     * @param realtime run the flood's thread under SCHED_FIFO (chrt), so that it takes the
     *                 generator's CPU the moment a burst is due and gives it back after the burst,
     *                 instead of waiting for the end of the generator's time slice and then
     *                 sending a long burst: the generator loses the same CPU time in many short
     *                 gaps rather than in a few long ones
     */
    FloodSender(List<Source> plan, int size, boolean realtime) throws IOException {
        this.realtime = realtime;
        this.tx = ByteBuffer.allocateDirect(size);
        RtpPacket.prepare(tx, size);
        tx.put(0, (byte) 0x80);                             // V=2, PT 0
        tx.putInt(8, SSRC);
        for (InetAddress address : new LinkedHashSet<>(plan.stream().map(Source::address).toList())) {
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                bind(probe, address, 0, ": pass --flood-from addresses of this host");
            }
        }
        List<DatagramChannel> opened = new ArrayList<>(plan.size());
        int otherFloor = 0;
        try {
            for (Source s : plan) {
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                opened.add(ch);
                if (s.relayPort()) {
                    bind(ch, s.address(), s.port(), ": a relay bound to every address (0.0.0.0) shares"
                            + " its ports with no one; pass --flood-ports other");
                } else {
                    int port = Math.max(s.port(), otherFloor);
                    while (!bindFree(ch, s.address(), port)) {
                        if (++port > 65_535) {
                            throw new BindException("no free source port from " + s.port() + " up on "
                                    + s.address().getHostAddress());
                        }
                    }
                    otherFloor = port + 1;
                }
                ch.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel ch : opened) {
                ch.close();
            }
            throw e;
        }
        this.sockets = opened;
    }

    private static boolean bindFree(DatagramChannel ch, InetAddress address, int port) throws IOException {
        try {
            ch.bind(new InetSocketAddress(address, port));
            return true;
        } catch (BindException e) {
            return false;                                   // busy: the address itself was checked
        }
    }

    private static void bind(DatagramChannel ch, InetAddress address, int port, String advice) throws IOException {
        try {
            ch.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IOException("cannot send the flood from " + address.getHostAddress() + ":" + port + " ("
                    + e.getMessage() + ")" + advice, e);
        }
    }

    int sources() {
        return sockets.size();
    }

    /** The flood thread's scheduling policy in its last run: "fifo", or "normal" (as asked, or chrt failed). */
    String policy() {
        return policy;
    }

    /** Starts sending at {@code pps} datagrams per second in total to {@code targets}, in turn. */
    void start(double pps, List<InetSocketAddress> targets) {
        if (thread != null) {
            throw new IllegalStateException("the flood is running");
        }
        if (!(pps > 0) || targets.isEmpty()) {
            throw new IllegalArgumentException("a flood needs a positive rate and targets");
        }
        InetSocketAddress[] to = targets.toArray(InetSocketAddress[]::new);
        running = true;
        result = null;
        thread = new Thread(() -> run(pps, to), "relay.bench-flood");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the flood and returns what it did. */
    Result stop() {
        Thread t = thread;
        if (t == null) {
            return Result.NONE;
        }
        running = false;
        LockSupport.unpark(t);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        thread = null;
        Result r = result;
        if (r == null) {
            throw new IllegalStateException("the flood's thread failed");
        }
        return r;
    }

    private void run(double pps, InetSocketAddress[] targets) {
        policy = realtime && realtime() ? "fifo" : "normal";
        long[] sched0 = ProcessStats.threadSelfSchedstat();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        long cpu0 = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
        DatagramChannel[] from = sockets.toArray(DatagramChannel[]::new);
        double perNano = pps / 1e9;
        long maxLag = Math.max(64, (long) (pps * MAX_LAG_NANOS / 1e9));
        long sent = 0;
        long full = 0;
        long errors = 0;
        long skipped = 0;
        long scheduled = 0;
        int source = 0;
        int target = 0;
        int round = 0;
        long start = System.nanoTime();
        while (running) {
            long due = (long) ((System.nanoTime() - start) * perNano) + 1;
            if (due - scheduled > maxLag) {
                skipped += due - scheduled - maxLag;
                scheduled = due - maxLag;
            }
            for (int n = 0; scheduled < due && n < MAX_BURST; n++, scheduled++) {
                tx.clear().limit(tx.capacity());
                try {
                    if (from[source].send(tx, targets[target]) > 0) {
                        sent++;
                    } else {
                        full++;
                    }
                } catch (IOException e) {
                    errors++;                                // an ICMP error or a refused send: keep flooding
                }
                if (++target == targets.length) {           // every pair in turn: source (round + target) mod n
                    target = 0;
                    round = round + 1 == from.length ? 0 : round + 1;
                }
                source = (round + target) % from.length;
            }
            long wait = start + (long) (scheduled / perNano) - System.nanoTime();
            LockSupport.parkNanos(Math.max(wait, TICK_NANOS));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = cpuTime ? (mx.getCurrentThreadCpuTime() - cpu0) / 1e9 : Double.NaN;
        long[] sched1 = ProcessStats.threadSelfSchedstat();
        double wait = sched0 == null || sched1 == null ? Double.NaN : (sched1[1] - sched0[1]) / 1e9;
        result = new Result(sent, full, errors, skipped, seconds, cpu, wait);
    }

    /** Puts the calling thread under SCHED_FIFO priority 1; false when that is not allowed or chrt is missing. */
    private static boolean realtime() {
        try {
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process p = new ProcessBuilder("chrt", "-f", "-p", "1", tid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (thread != null) {
            stop();
        }
        IOException failure = null;
        for (DatagramChannel ch : sockets) {
            try {
                ch.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
