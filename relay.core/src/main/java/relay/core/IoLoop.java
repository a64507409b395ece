package relay.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import relay.api.DropReason;
import relay.api.Side;

/**
 * One thread that owns the sockets of its channels, their counters and their latched
 * peers, and forwards their datagrams.
 *
 * <p>The forwarding path ({@link #onReadable}) receives into one direct buffer and sends the same
 * buffer out of the twin socket: no allocation, no lock, no thread hop. Its {@link Poller} and sockets come
 * from the relay's {@link IoEngine} (the JDK's selector and channels, or epoll and plain descriptors). The conductor reaches the
 * loop only through {@link #execute} (a queue and a wake-up); the loop answers through
 * {@link Events}, which only enqueue: a latch, a channel closed, the loop's own death.
 *
 * <p>Under load the loop coalesces wake-ups ({@code io.coalesce.us}): once datagrams come faster than one
 * per window, it lets a window pass between rounds and takes what gathered in one non-blocking select,
 * instead of waking for each datagram. A wake-up costs about as much as forwarding a datagram, so this
 * trades at most a window (plus the kernel's timer slack) of delay for that CPU. When a window gathers
 * less than two datagrams, the loop blocks in its poller again: a light load is never delayed.
 */
final class IoLoop implements Runnable {

    /**
     * Datagrams read from one socket per wake-up while it has a backlog, so one busy flow cannot
     * starve the others. A socket without a backlog is read once: the empty read that would end
     * the batch costs as much as the datagram, and the poller reports the socket again if
     * more is queued.
     */
    private static final int READ_BUDGET = 32;
    /** Larger than the largest UDP payload (65,507 bytes), so nothing is ever truncated. */
    private static final int BUFFER_SIZE = 65536;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What the loop tells the rest of the relay; called on the loop thread, must not block. */
    interface Events {
        /** A side latched for the first time, or re-latched onto a new source (handover). */
        void latched(LiveChannel channel, Side side);

        /** The channel's sockets are closed and the poller let go of them: its ports can be bound again. */
        void closed(LiveChannel channel);

        /** The loop ended of an unexpected error; its sockets are closed. The loop's last call. */
        void died(IoLoop loop, Throwable cause);

        boolean isRelaySocket(InetSocketAddress source);

        long handoverQuietNanos();

        void failed(String what, Throwable error);
    }

    /**
     * Thrown on the loop thread by {@link #injectFault}: a virtual machine error, the one kind
     * of throwable a loop does not survive.
     */
    static final class InjectedFault extends InternalError {
        private static final long serialVersionUID = 1L;

        InjectedFault() {
            super("fault injected into the I/O loop");
        }
    }

    private final Poller poller;
    private final Thread thread;
    private final Events events;
    private final NanoClock clock;
    private final ScanGuard scanGuard;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** Work to run once closed sockets are deregistered and their ports really free (loop thread only). */
    private final List<Runnable> afterDeregister = new ArrayList<>();
    private volatile boolean running = true;
    /** The clock as read by the round's first ready socket; loop thread only. */
    private long now;
    /**
     * Counts select calls, so that a socket ready in two rounds in a row is known to have a backlog. An int, as
     * each socket keeps the round it was last ready in: wrapping around only compares equal after 2^32 rounds.
     */
    private int round;
    /** The round {@link #now} was read in; loop thread only. */
    private int nowRound = -1;
    /** One instance for every select call: a method reference made in the loop would be allocated per wake-up. */
    private final Consumer<Endpoint> onReady = this::onReady;
    /** The coalescing window in nanoseconds, 0: off; loop thread only (set through {@link #coalesce}). */
    private long coalesceNanos;
    /** Whether the last round found the load high enough to coalesce; loop thread only. */
    private boolean coalescing;
    /** Datagrams read in this round; loop thread only. */
    private int roundDatagrams;
    /** Rounds that followed a coalescing pause; loop thread only. */
    private int coalescedRounds;

    /** How many rounds a loop ran, and how many of them followed a coalescing pause. */
    record Rounds(int all, int coalesced) {
    }

    IoLoop(String name, IoEngine engine, Events events, NanoClock clock, ScanGuard scanGuard, long coalesceNanos) throws IOException {
        this.poller = engine.openPoller();
        this.events = events;
        this.clock = clock;
        this.scanGuard = scanGuard;
        this.coalesceNanos = coalesceNanos;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code command} on the loop thread, soon. */
    void execute(Runnable command) {
        commands.add(command);
        poller.wakeup();
        LockSupport.unpark(thread); // ends a coalescing pause early
    }

    /** Sets the coalescing window, {@code 0} turning it off; at the loop's next round. */
    void coalesce(long nanos) {
        execute(() -> {
            coalesceNanos = nanos;
            coalescing = false;
        });
    }

    /** Starts forwarding for a channel whose sockets are bound. */
    void add(LiveChannel channel) {
        execute(() -> {
            for (Endpoint e : channel.endpoints()) {
                try {
                    poller.register(e.socket, e);
                } catch (IOException ex) {
                    return; // destroyed before it was registered
                }
            }
        });
    }

    /**
     * Closes a channel's sockets on the loop thread and reports {@link Events#closed} once the
     * poller has let go of them.
     */
    void remove(LiveChannel channel) {
        execute(() -> {
            channel.closeSockets();
            afterDeregister.add(() -> events.closed(channel));
        });
    }

    /** The loop's rounds so far, read on its thread (tests of coalescing); the reading itself wakes the loop once. */
    CompletableFuture<Rounds> rounds() {
        CompletableFuture<Rounds> f = new CompletableFuture<>();
        execute(() -> f.complete(new Rounds(round, coalescedRounds)));
        return f;
    }

    /** Asks the thread to end once it ran every queued command; does not wait. */
    void stop() {
        running = false;
        poller.wakeup();
        LockSupport.unpark(thread);
    }

    /**
     * Any thread: CPU nanoseconds the loop's thread has used (it waits in its poller without
     * using any), so that measuring how busy it is costs the forwarding path nothing; 0 when the JVM
     * cannot tell.
     */
    long busyNanos() {
        long cpu = CPU.isThreadCpuTimeSupported() ? CPU.getThreadCpuTime(thread.getId()) : -1;
        return Math.max(cpu, 0);
    }

    /** Applies new caps to a live channel, on the loop thread. */
    void setCaps(LiveChannel channel, int maxKbps, int maxPps) {
        execute(() -> channel.setCaps(maxKbps, maxPps));
    }

    /** Makes the loop thread fail as an unexpected error would (tests of fault handling). */
    void injectFault() {
        execute(() -> {
            throw new InjectedFault();
        });
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        Throwable fault = null;
        try {
            while (running) {
                runCommands();
                round++;
                if (afterDeregister.isEmpty()) {
                    poll();
                } else {
                    poller.selectNow(onReady); // lets go of the closed sockets
                    runAfterDeregister();
                }
            }
            runCommands();
            poller.selectNow(onReady);
            runAfterDeregister();
        } catch (Throwable e) { // anything: the conductor must hear of the loop's death
            fault = e;
        } finally {
            poller.close();
            runAfterDeregister();
        }
        if (fault != null) {
            events.died(this, fault);
        }
    }

    /** One round: wait for ready sockets and forward what they hold. */
    private void poll() throws IOException {
        roundDatagrams = 0;
        if (coalescing) {
            long rest = coalesceNanos - (clock.nanoTime() - now); // the window counts from the last round's start
            if (rest > 0) {
                LockSupport.parkNanos(rest);
            }
            coalescedRounds++;
            poller.selectNow(onReady);
            coalescing = roundDatagrams > 1; // one datagram a window: waking for it costs no more
        } else {
            long previous = now;
            poller.select(onReady);
            // datagrams that follow the previous round's within the window come faster than one per window
            coalescing = roundDatagrams > 0 && now - previous < coalesceNanos;
        }
    }

    private void runCommands() {
        Runnable r;
        while ((r = commands.poll()) != null) {
            try {
                r.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // a bug in one command must not take the loop's channels down
                events.failed("I/O loop command", e);
            }
        }
    }

    private void runAfterDeregister() {
        for (Runnable r : afterDeregister) {
            try {
                r.run();
            } catch (RuntimeException e) {
                events.failed("releasing ports", e);
            }
        }
        afterDeregister.clear();
    }

    private void onReady(Endpoint in) {
        if (nowRound != round) { // the round's first ready socket: one clock reading serves the round
            now = clock.nanoTime();
            nowRound = round;
        }
        onReadable(in);
    }

    /** The forwarding path. */
    private void onReadable(Endpoint in) {
        ByteBuffer buf = buffer;
        UdpSocket socket = in.socket;
        Leg leg = in.leg;
        Counters counters = leg.counters;
        int budget = in.connectPending || in.readyRound == round - 1 ? READ_BUDGET : 1;
        in.readyRound = round;
        for (int i = 0; i < budget; i++) {
            buf.clear();
            InetSocketAddress source;
            try {
                source = (InetSocketAddress) socket.receive(buf);
            } catch (IOException e) {
                // an ICMP error reported on receive: count it, keep the loop alive
                counters.dropped(DropReason.SEND_ERROR);
                return;
            }
            if (source == null) {
                if (in.connectPending) {
                    connect(in);
                }
                return;
            }
            roundDatagrams++;
            if (source != in.peer && !source.equals(in.peer)) {
                if (!admit(in, source)) {
                    continue; // a dropped datagram does not keep the channel alive
                }
                if (in.connectPending) {
                    budget = READ_BUDGET; // read the queue dry, then connect
                }
            }
            in.peerLastRxNanos = now;
            Endpoint out = in.twin;
            InetSocketAddress target = out.peer;
            if (target == null) {
                counters.dropped(DropReason.NOT_LATCHED);
                continue;
            }
            buf.flip();
            int length = buf.remaining();
            RateLimit limit = leg.limit; // null: no cap
            if (limit != null && !limit.admit(length, now)) {
                counters.dropped(DropReason.RATE_LIMITED);
                continue;
            }
            try {
                int sent;
                if (out.connected) { // no per-datagram address handling, in the JDK or in the kernel
                    if (length == 0) { // the JDK's write (and send, when connected) sends nothing for no bytes
                        counters.dropped(DropReason.SEND_ERROR);
                        continue;
                    }
                    sent = out.socket.write(buf);
                } else {
                    sent = out.socket.send(buf, target);
                }
                // an empty datagram also "sends 0 bytes"; only a non-empty one can mean a full buffer
                if (sent == 0 && length > 0) {
                    counters.dropped(DropReason.SEND_BUFFER_FULL);
                    continue;
                }
            } catch (IOException e) {
                counters.dropped(DropReason.SEND_ERROR);
                continue;
            }
            counters.forwarded(length);
            leg.channel.touched(now);
        }
    }

    /**
     * Kernel-side latching: connects a latched socket to its peer once nothing is queued, because the JDK's
     * connect discards whatever is (only a datagram arriving during the call itself is lost). From then
     * on the kernel drops other sources before they wake the loop. A failure leaves the socket as it was:
     * the loop's own check still holds the latch.
     */
    private void connect(Endpoint in) {
        in.connectPending = false;
        try {
            in.socket.connect(in.peer);
            in.connected = true;
        } catch (IOException | RuntimeException e) {
            events.failed("connecting a latched socket to " + in.peer, e);
        }
    }

    /**
     * A datagram from a source that is not the latched peer: latch, hand over, or drop. The
     * common drop (strict latching, a foreign source) is decided first, on two fields, so that a
     * flood of spoofed datagrams costs no more than forwarding them would.
     */
    private boolean admit(Endpoint in, InetSocketAddress source) {
        Leg leg = in.leg;
        Counters counters = leg.counters;
        boolean first = in.peer == null;
        if (!first && !(leg.channel.handover && now - in.peerLastRxNanos >= events.handoverQuietNanos())) {
            counters.dropped(DropReason.FOREIGN_SOURCE);
            return false;
        }
        if (in.expected != null && !in.expected.matches(source)) {
            counters.dropped(DropReason.UNEXPECTED_PEER);
            return false;
        }
        if (events.isRelaySocket(source)) {
            counters.dropped(DropReason.LOOP);
            return false;
        }
        if (!scanGuard.admit(source.getAddress(), now)) {
            counters.dropped(DropReason.SCAN_GUARD);
            return false;
        }
        in.peer = source;
        in.connectPending = leg.channel.connectOnLatch;
        leg.channel.touched(now); // a latch is activity, even before the far side can be reached
        boolean sideNew = !leg.latched;
        leg.latched = true;
        if (sideNew || !first) { // a side's first latch, or a handover onto a new source
            events.latched(leg.channel, leg.side);
        }
        return true;
    }
}
