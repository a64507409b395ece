package relay.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends RTP-shaped datagrams through relay channels and receives them back, on one thread.
 *
 * <p>Each channel (flow) gets two client sockets on 127.0.0.1: X, connected to the relay's port A,
 * and Y, connected to port B. A relay forwards X's packets to Y and Y's to X. Sockets are served
 * round-robin X0, Y0, X1, Y1, ... at the total rate asked for, so every stream sends
 * rate / (2 * flows) packets per second. Between sends the thread busy-polls a selector over all
 * client sockets (or sleeps, without spin): the relay never has to wake the generator, and
 * receive times are taken without a wake-up delay.
 *
 * <p>Nothing is allocated per packet: one send buffer, one receive buffer, counters in place.
 */
final class TrafficEngine implements Closeable {

    /** Sends per loop round before the receive side is served again. */
    private static final int SEND_BATCH = 64;
    /** Datagrams read from one socket per readiness, for fairness between sockets. */
    private static final int RECEIVE_BATCH = 64;
    /** A generator further behind its schedule than this skips the backlog rather than bursting. */
    private static final long MAX_LAG_NANOS = 20_000_000;
    private static final long DRAIN_QUIET_NANOS = 30_000_000;
    private static final long DRAIN_MAX_NANOS = 500_000_000;
    /** Client port bases tried in turn: above the relay's range, out of the kernel's way below 61000. */
    static final int[] AUTO_BASES = {40_000, 50_000};
    static final int CLIENT_PORT_MAX = 59_999;

    private final int runId = ThreadLocalRandom.current().nextInt();
    private final int size;
    private final boolean spin;
    private final Selector selector;
    private final Leg[] legs;
    private final List<RelayClient.Channel> channels;
    /** Client sockets that latched the channels' RTCP ports ({@link #latchRtcp}); they send nothing more. */
    private final List<Leg> rtcpLegs = new ArrayList<>();
    private final ByteBuffer tx;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(65_536);

    private int cursor;
    private int windows;
    private Window current;
    private long latchReceived;
    private long lastReceiveNanos;

    /** One client socket: sends one stream, receives the opposite stream of its flow. */
    private static final class Leg {
        final DatagramChannel channel;
        final int flow;
        final int direction;
        final int ssrc;
        long nextSequence;
        long highestReceived = -1;

        Leg(DatagramChannel channel, int flow, int direction, int ssrc) {
            this.channel = channel;
            this.flow = flow;
            this.direction = direction;
            this.ssrc = ssrc;
        }
    }

    /**
     * Opens and connects two client sockets per channel.
     *
     * @param clientBase first client port (X = base + 2i, Y = base + 2i + 1), 0 for ports the
     *                   kernel picks, or null to try {@link #AUTO_BASES}
     */
    TrafficEngine(List<RelayClient.Channel> channels, Integer clientBase, int size, boolean spin) throws IOException {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels to send through");
        }
        this.size = size;
        this.spin = spin;
        this.tx = ByteBuffer.allocateDirect(size);
        RtpPacket.prepare(tx, size);
        this.selector = Selector.open();
        Leg[] opened = null;
        try {
            opened = open(channels, clientBase);
        } finally {
            if (opened == null) {
                selector.close();
            }
        }
        this.legs = opened;
        this.channels = List.copyOf(channels);
    }

    private Leg[] open(List<RelayClient.Channel> channels, Integer clientBase) throws IOException {
        if (clientBase != null) {
            return open(channels, clientBase.intValue());
        }
        BindException last = null;
        for (int base : AUTO_BASES) {
            if (base + 2 * channels.size() - 1 > CLIENT_PORT_MAX) {
                continue;
            }
            try {
                return open(channels, base);
            } catch (BindException e) {
                last = e;
            }
        }
        throw last != null ? last
                : new BindException("no client port base fits " + channels.size() + " flows below " + CLIENT_PORT_MAX
                        + "; pass --client-base 0");
    }

    private Leg[] open(List<RelayClient.Channel> channels, int base) throws IOException {
        Leg[] result = new Leg[2 * channels.size()];
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            for (int flow = 0; flow < channels.size(); flow++) {
                RelayClient.Channel c = channels.get(flow);
                for (int direction = 0; direction < 2; direction++) {
                    int i = 2 * flow + direction;
                    int port = base == 0 ? 0 : base + i;
                    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                    result[i] = new Leg(ch, flow, direction, RtpPacket.ssrcOf(runId, flow, direction));
                    try {
                        ch.bind(new InetSocketAddress(loopback, port));
                    } catch (BindException e) {
                        BindException b = new BindException("client port " + port + " is busy (" + e.getMessage()
                                + "); pass another --client-base");
                        b.initCause(e);
                        throw b;
                    } catch (IOException e) {
                        throw new IOException("cannot open client socket " + (i + 1) + " of " + result.length + ": "
                                + e.getMessage(), e);
                    }
                    ch.connect(direction == 0 ? c.a() : c.b());   // the relay answers from the port we send to
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, result[i]);
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            for (Leg leg : result) {
                if (leg != null) {
                    leg.channel.close();
                }
            }
            throw e;
        }
    }

    int flows() {
        return legs.length / 2;
    }

    /** The local ports of all client sockets. */
    Set<Integer> clientPorts() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (Leg leg : legs) {
            ports.add(((InetSocketAddress) leg.channel.getLocalAddress()).getPort());
        }
        return ports;
    }

    /** The local addresses of a flow's X and Y sockets (where the relay must send). */
    List<SocketAddress> clientAddresses(int flow) throws IOException {
        List<SocketAddress> list = new ArrayList<>(2);
        list.add(legs[2 * flow].channel.getLocalAddress());
        list.add(legs[2 * flow + 1].channel.getLocalAddress());
        return list;
    }

    /**
     * Lets a latching relay learn both clients of every flow: {@code rounds} packets from every
     * socket, {@code gapMillis} apart, then {@code waitMillis} of listening. Returns the number of
     * latch packets that came back (a relay drops those that arrive before the far side latched).
     */
    long latch(int rounds, long gapMillis, long waitMillis) throws IOException {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < legs.length; i++) {
                send(legs[i], RtpPacket.Phase.LATCH, 0);
                if ((i & 63) == 63) {
                    poll();
                }
            }
            listen(gapMillis * 1_000_000);
        }
        listen(waitMillis * 1_000_000);
        return latchReceived;
    }

    /**
     * Latches the RTCP ports of every channel that has them, as a call's endpoints would: one
     * client socket per RTCP port (on a port the kernel picks, on 127.0.0.1), {@code rounds} latch
     * packets from each, {@code gapMillis} apart, then {@code waitMillis} of listening. The sockets
     * stay open and quiet until the engine closes, so a foreign source that sends to those ports
     * later meets latched ports, as it does on the RTP ports. Returns how many RTCP ports it latched.
     */
    int latchRtcp(int rounds, long gapMillis, long waitMillis) throws IOException {
        if (!rtcpLegs.isEmpty()) {
            throw new IllegalStateException("the RTCP ports are latched already");
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int flow = 0; flow < channels.size(); flow++) {
            RelayClient.Channel c = channels.get(flow);
            InetSocketAddress[] ports = {c.rtcpA(), c.rtcpB()};
            for (int direction = 0; direction < 2; direction++) {
                if (ports[direction] == null) {
                    continue;
                }
                DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                Leg leg = new Leg(ch, flow, direction, RtpPacket.ssrcOf(~runId, flow, direction));
                rtcpLegs.add(leg);
                ch.bind(new InetSocketAddress(loopback, 0));
                ch.connect(ports[direction]);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, leg);
            }
        }
        for (int r = 0; r < rounds && !rtcpLegs.isEmpty(); r++) {
            for (int i = 0; i < rtcpLegs.size(); i++) {
                send(rtcpLegs.get(i), RtpPacket.Phase.LATCH, 0);
                if ((i & 63) == 63) {
                    poll();
                }
            }
            listen(gapMillis * 1_000_000);
        }
        if (!rtcpLegs.isEmpty()) {
            listen(waitMillis * 1_000_000);
        }
        return rtcpLegs.size();
    }

    /** Unmeasured traffic at {@code rate}, for the relay's JIT and caches. */
    void warmup(double rate, long nanos) throws IOException {
        pump(RtpPacket.Phase.WARMUP, rate, nanos, null);
    }

    /**
     * One measurement window: {@code nanos} of traffic at {@code rate} packets per second in total,
     * then a drain until the relay has been silent for 30 ms (at most 500 ms). Packets that arrive
     * later count as lost.
     */
    Window measure(double rate, long nanos) throws IOException {
        Window w = new Window(++windows & 0xFFFF, rate);
        current = w;
        try {
            pump(RtpPacket.Phase.MEASURE, rate, nanos, w);
            drain();
        } finally {
            current = null;
        }
        return w;
    }

    private void pump(RtpPacket.Phase phase, double rate, long nanos, Window w) throws IOException {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, not " + rate);
        }
        double perNano = rate / 1e9;
        long maxLag = Math.max(SEND_BATCH, (long) (rate * MAX_LAG_NANOS / 1e9));
        int window = w == null ? 0 : w.id;
        long start = System.nanoTime();
        long end = start + nanos;
        long scheduled = 0;                             // packets whose send time has come and gone
        if (w != null) {
            w.startNanos = start;
        }
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            long due = (long) ((now - start) * perNano) + 1;
            if (due - scheduled > maxLag) {             // fell behind (preempted): skip, don't burst
                long skip = due - scheduled - maxLag;
                scheduled += skip;
                cursor = (int) ((cursor + skip) % legs.length);
                if (w != null) {
                    w.skipped += skip;
                }
            }
            for (int n = 0; scheduled < due && n < SEND_BATCH; n++, scheduled++) {
                Leg leg = legs[cursor];
                cursor = cursor + 1 == legs.length ? 0 : cursor + 1;
                send(leg, phase, window);
            }
            int ready = poll();
            if (!spin && ready == 0 && scheduled >= due) {
                long wait = start + (long) (scheduled / perNano) - System.nanoTime();
                idle(Math.min(wait, end - System.nanoTime()));
            }
        }
        if (w != null) {
            w.endNanos = System.nanoTime();
        }
    }

    private void send(Leg leg, RtpPacket.Phase phase, int window) throws IOException {
        long seq = leg.nextSequence++;
        RtpPacket.write(tx, size, leg.ssrc, seq, runId, leg.flow, leg.direction, phase, window, System.nanoTime());
        Window w = current;
        int n;
        try {
            n = leg.channel.write(tx);
        } catch (PortUnreachableException e) {        // an ICMP error from an earlier send
            if (w != null) {
                w.icmpErrors++;
            }
            return;
        }
        if (w != null && phase == RtpPacket.Phase.MEASURE) {
            if (n > 0) {
                w.sent++;
            } else {
                w.sendFull++;
            }
        }
    }

    /** Serves every readable socket once; returns how many were readable. */
    private int poll() throws IOException {
        return selector.selectNow(this::receive);
    }

    private void idle(long nanos) throws IOException {
        if (nanos >= 1_000_000) {
            selector.select(this::receive, nanos / 1_000_000);  // wakes up at once on a datagram
        } else if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    /** Receives only, for {@code nanos}. */
    private void listen(long nanos) throws IOException {
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (spin) {
                poll();
            } else {
                idle(Math.max(left, 1_000_000));
            }
        }
    }

    private void drain() throws IOException {
        long start = System.nanoTime();
        lastReceiveNanos = start;
        long now;
        while ((now = System.nanoTime()) - lastReceiveNanos < DRAIN_QUIET_NANOS && now - start < DRAIN_MAX_NANOS) {
            if (spin) {
                poll();
            } else {
                idle(1_000_000);
            }
        }
    }

    private void receive(SelectionKey key) {
        Leg leg = (Leg) key.attachment();
        Window w = current;
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            rx.clear();
            int n;
            try {
                n = leg.channel.read(rx);
            } catch (PortUnreachableException e) {
                if (w != null) {
                    w.icmpErrors++;
                }
                continue;
            } catch (IOException e) {
                throw new IllegalStateException("receive on a client socket failed: " + e.getMessage(), e);
            }
            if (n <= 0) {
                return;
            }
            long now = System.nanoTime();
            lastReceiveNanos = now;
            account(leg, n, now, w);
        }
    }

    private void account(Leg leg, int length, long now, Window w) {
        if (!RtpPacket.isProbe(rx, length, runId)) {
            if (w != null) {
                w.stray++;
            }
            return;
        }
        byte phase = RtpPacket.phase(rx);
        if (phase == RtpPacket.Phase.LATCH.code) {
            latchReceived++;
            return;
        }
        if (w == null || phase != RtpPacket.Phase.MEASURE.code || RtpPacket.window(rx) != w.id) {
            return;                                   // warm-up, or late from an earlier window
        }
        if (RtpPacket.flow(rx) != leg.flow || RtpPacket.direction(rx) == leg.direction) {
            w.misrouted++;
            return;
        }
        if (length != size) {
            w.wrongSize++;
            return;
        }
        w.received++;
        w.latency.record(now - RtpPacket.sentNanos(rx));
        long seq = RtpPacket.sequence(rx);
        if (seq <= leg.highestReceived) {
            w.reordered++;
        } else {
            leg.highestReceived = seq;
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        List<Leg> all = new ArrayList<>(List.of(legs));
        all.addAll(rtcpLegs);
        for (Leg leg : all) {
            try {
                leg.channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        selector.close();
        if (failure != null) {
            throw failure;
        }
    }
}
