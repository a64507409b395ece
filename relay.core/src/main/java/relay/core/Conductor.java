package relay.core;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import relay.api.AddressFamily;
import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayDeniedException.Reason;
import relay.api.RelayStats;
import relay.api.Side;
import relay.api.Traffic;
import relay.api.spi.PolicyContext;

/**
 * The one owner of the channel life cycle, on its own thread: the registry, the port pool,
 * the loops and which loop serves which channel, the idle sweep, the destroy state machine,
 * the configuration in force.
 *
 * <p>Everyone else talks to it through one queue. Callers enqueue a request and wait for
 * their own answer; I/O loops enqueue what happened to their sockets (latched, closed, died)
 * and move on. The conductor itself never waits for anybody: it hands a destroy to the loop
 * that owns the sockets and finishes it when the loop reports them closed.
 *
 * <pre>
 *   callers ──request──▶ ┌───────────┐ ──add / remove──▶ IoLoop × io.threads
 *                        │ Conductor │ ◀─latched / closed / died──┘
 *   listeners ◀─events── └───────────┘   (registry, port pool, sweep)
 * </pre>
 */
final class Conductor implements Runnable, IoLoop.Events, PolicyContext {

    /** How often idle channels are looked for and the loops checked; a sweep costs µs per thousand channels. */
    private static final long DUTY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** A piece of work for the conductor thread; refused once the conductor has ended. */
    private interface Command {
        void run();

        default void refuse() {
        }
    }

    /** Conductor work whose result a caller waits for. */
    @FunctionalInterface
    private interface Body<T> {
        T run() throws Exception;
    }

    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean ended;

    private final NanoClock clock;
    private final Log log;
    private final Listeners listeners;
    private final Totals totals = new Totals();
    private final Instant started = Instant.now();
    private final ChannelRegistry registry = new ChannelRegistry();

    // conductor thread only
    private final PortPool pool;
    /** The IPv6 side of a bridge, on bind.address6 when bind.address is IPv4; null without one. */
    private volatile PortPool pool6;
    private final LocalAddresses localAddresses = new LocalAddresses();
    private final ScanGuard scanGuard;
    private long nextAddressRefresh;
    private long[] busyBefore = new long[0];
    private long busySampled = System.nanoTime();
    private volatile List<Double> ioLoopBusy = List.of();
    private final SecureRandom random = new SecureRandom();
    private final Set<LiveChannel> closing = new HashSet<>();
    private boolean stopping;
    private CompletableFuture<Void> stopped;
    private long nextDuty;

    // written by the conductor, read by any thread
    private volatile IoLoops loops;
    private volatile CoreConfig config;
    private volatile long handoverQuietNanos;

    Conductor(CoreConfig config, Listeners listeners, Log log, NanoClock clock) throws IOException {
        this.clock = clock;
        this.log = log;
        this.listeners = listeners;
        this.config = config;
        this.handoverQuietNanos = TimeUnit.MILLISECONDS.toNanos(config.handoverQuietMs());
        this.pool = new PortPool(config.bindAddress(), config.portMin(), config.portMax(), config.rtcp());
        this.pool6 = config.bindAddress6() == null ? null
                : new PortPool(config.bindAddress6(), config.portMin(), config.portMax(), config.rtcp());
        this.scanGuard = new ScanGuard(line -> submit(() -> log.warn(line)));
        this.scanGuard.configure(config.scanGuardPorts(), config.scanGuardSeconds(), config.scanGuardExempt());
        this.localAddresses.refresh(config.bindAddress());
        this.loops = new IoLoops(IoEngines.get(config.ioEngine()), config.ioThreads(), coalesceNanos(config), this, clock, scanGuard);
        listeners.capacity(config.listenerQueue());
        warnAboutLimits(config);
        this.thread = new Thread(this, "relay-conductor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    // --- requests from callers (any thread): each waits for its own answer, or not at all

    /** Opens a channel for a request: capacity, ports, a loop. Policies were asked by the caller. */
    RelayChannel allocate(ChannelRequest request, int policyKbps, int policyPps) throws RelayDeniedException {
        try {
            return request(() -> open(request, policyKbps, policyPps)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RelayDeniedException d) {
                throw d;
            }
            throw unwrap(e);
        }
    }

    /** Hands a destroy over; the stage completes once the channel's ports are back in the pool. */
    CompletableFuture<Optional<RelayChannel>> destroy(String id, DestroyReason reason) {
        CompletableFuture<Optional<RelayChannel>> done = new CompletableFuture<>();
        submit(new Command() {
            @Override
            public void run() {
                LiveChannel ch = registry.get(id);
                if (ch == null) {
                    done.complete(Optional.empty());
                } else {
                    startDestroy(ch, reason, done);
                }
            }

            @Override
            public void refuse() {
                done.completeExceptionally(notActive());
            }
        });
        return done;
    }

    /** Applies a validated configuration: ports and latching to new channels, timeouts at once. */
    void reconfigure(CoreConfig next) {
        try {
            request(() -> {
                apply(next);
                return null;
            }).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Destroys every channel with reason {@code SHUTDOWN} and ends every thread of the relay;
     * returns once all of them are gone, or after {@code waitMillis} with a warning.
     */
    void shutdown(long waitMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Command() {
            @Override
            public void run() {
                stopping = true;
                stopped = done;
                new ArrayList<>(registry.all()).forEach(ch -> startDestroy(ch, DestroyReason.SHUTDOWN, null));
            }

            @Override
            public void refuse() {
                done.complete(null);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            done.get(waitMillis, TimeUnit.MILLISECONDS);
            thread.join(remainingMillis(deadline));
            for (Thread t : loops.threads()) {
                t.join(remainingMillis(deadline));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("the relay did not stop within " + waitMillis + " ms: " + e);
        }
    }

    /** Kills one I/O loop as an unexpected error would (tests of fault handling). */
    void injectFault(int loop) {
        submit(() -> loops.get(loop).injectFault());
    }

    // --- reads (any thread, no lock)

    LiveChannel channel(String id) {
        return registry.get(id);
    }

    List<LiveChannel> channels(BareJid owner) {
        return registry.newestFirst(owner);
    }

    /** What a policy sees of a user: the channels it holds, those being destroyed until their ports are back. */
    @Override
    public int liveChannels(BareJid owner) {
        return registry.count(owner);
    }

    /** What a policy sees of the relay: the live channels of every user. */
    @Override
    public int liveChannels() {
        return registry.size();
    }

    CoreConfig config() {
        return config;
    }

    Totals totals() {
        return totals;
    }

    List<Thread> ioThreads() {
        return loops.threads();
    }

    /** The I/O loop in slot {@code index} (tests; a loop that died meanwhile may be replaced). */
    IoLoop loop(int index) {
        return loops.get(index);
    }

    RelayStats stats(boolean draining) {
        Traffic traffic = totals.retired();
        long expire = config.idleTimeoutSeconds();
        for (LiveChannel c : registry.all()) {
            RelayChannel s = c.snapshot(expire);
            traffic = traffic.plus(s.aToB()).plus(s.bToA());
        }
        return RelayStats.builder().started(started).liveChannels(registry.size()).allocated(totals.allocated.sum())
                .destroyed(totals.destroyed()).denied(totals.denied()).invalid(totals.invalid.sum()).forwarded(traffic)
                .portsFree(pool.freePorts()).portsTotal(pool.totalPorts()).draining(draining)
                .maxChannels(config.maxChannels()).ioLoopFaults(totals.loopFaults.sum())
                .effectiveCapacity(Math.min(config.maxChannels(), pool.channelCapacity()))
                .listenerDrops(listeners.dropped()).listenerFailures(listeners.failed())
                .allocationSeconds(totals.allocationSeconds.snapshot()).deniedByPolicy(totals.deniedByPolicy()).ioLoopBusy(ioLoopBusy).build();
    }

    // --- the conductor thread

    @Override
    public void run() {
        try {
            nextDuty = System.nanoTime() + DUTY_NANOS;
            while (true) {
                Command c;
                while ((c = commands.poll()) != null) {
                    execute(c);
                }
                if (System.nanoTime() - nextDuty >= 0) {
                    nextDuty = System.nanoTime() + DUTY_NANOS;
                    watchLoops();
                    if (!stopping) {
                        sweep();
                        housekeeping();
                    }
                }
                if (stopping && closing.isEmpty()) {
                    break;
                }
                if (commands.isEmpty()) {
                    LockSupport.parkNanos(this, Math.max(1, nextDuty - System.nanoTime()));
                }
            }
            loops.stop();
        } catch (Throwable e) {
            log.error("the relay conductor failed; the relay stops", e);
            loops.stop();
        } finally {
            ended = true;
            Command c;
            while ((c = commands.poll()) != null) {
                c.refuse();
            }
            if (stopped != null) {
                stopped.complete(null);
            }
        }
    }

    private void execute(Command c) {
        try {
            c.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // a bug in one command (or a listener's code) must not stop the relay
            log.error("relay conductor: a command failed", e);
        }
    }

    private RelayChannel open(ChannelRequest request, int policyKbps, int policyPps) throws RelayDeniedException {
        if (stopping) {
            throw notActive();
        }
        CoreConfig cfg = config;
        if (registry.size() + closing.size() >= cfg.maxChannels()) {
            throw totals.denied(Reason.CAPACITY, null, "the relay holds its maximum of " + cfg.maxChannels() + " channels", null);
        }
        PortPool poolA = poolFor(request.family(Side.A).orElse(null), cfg);
        PortPool poolB = poolFor(request.family(Side.B).orElse(null), cfg);
        PortPool.Lease a;
        PortPool.Lease b;
        try {
            IoEngine engine = loops.engine();
            a = poolA.take(engine, request.rtcpMux());
            try {
                b = poolB.take(engine, request.rtcpMux());
            } catch (PortPool.PoolExhaustedException e) {
                a.closeQuietly();
                a.release();
                throw e;
            }
        } catch (PortPool.NoDescriptorsException e) {
            throw totals.denied(Reason.RESOURCES, null, e.getMessage(), null);
        } catch (PortPool.PoolExhaustedException e) {
            throw totals.denied(Reason.PORTS_EXHAUSTED, null, e.getMessage(), null);
        }
        IoLoop loop = loops.pick();
        LiveChannel ch = new LiveChannel(newId(), request, hostOf(poolA, cfg), hostOf(poolB, cfg), cfg.latching() == CoreConfig.Latching.HANDOVER,
                cfg.latchConnect(), a, b, loop, clock.nanoTime(), policyKbps, policyPps);
        ch.setCaps(LiveChannel.lower(cfg.maxKbps(), policyKbps), LiveChannel.lower(cfg.maxPps(), policyPps));
        registry.add(ch);
        RelayChannel snapshot = ch.snapshot(cfg.idleTimeoutSeconds());
        totals.allocated.increment();
        listeners.created(snapshot); // before the loop can see a datagram, so before any latch
        loop.add(ch);
        return snapshot;
    }

    /** The pool that binds a side of {@code family}: the relay's own, or the IPv6 one of a bridge. */
    private PortPool poolFor(AddressFamily family, CoreConfig cfg) {
        InetAddress bind = cfg.bindAddress();
        boolean v6 = bind instanceof Inet6Address;
        if (family == null || (family == AddressFamily.IPV6 && v6)
                || (family == AddressFamily.IPV4 && (!v6 || bind.isAnyLocalAddress()))) {
            return pool;
        }
        if (family == AddressFamily.IPV6 && pool6 != null) {
            return pool6;
        }
        throw new IllegalArgumentException(family == AddressFamily.IPV6
                ? "no IPv6 address to bridge to: bind.address is IPv4 and bind.address6 is not set"
                : "no IPv4 address: bind.address is an IPv6 address (:: serves both)");
    }

    private String hostOf(PortPool p, CoreConfig cfg) {
        return p == pool ? cfg.publicAddress() : cfg.publicAddress6();
    }

    /** The first step of every destroy: out of the registry, and the sockets to their loop to close. */
    private void startDestroy(LiveChannel ch, DestroyReason reason, CompletableFuture<Optional<RelayChannel>> waiter) {
        if (!registry.remove(ch)) {
            if (waiter != null) {
                waiter.complete(Optional.empty()); // someone else is destroying it
            }
            return;
        }
        ch.startDestroy(reason);
        ch.waiter = waiter;
        closing.add(ch);
        ch.loop.remove(ch); // the loop reports closed(ch); a dead loop is handled in died()
    }

    /** The last step: the sockets are closed, the ports go back, everybody hears of it. */
    private void finish(LiveChannel ch) {
        if (!closing.remove(ch)) {
            return;
        }
        ch.releasePorts();
        registry.released(ch);
        loops.release(ch.loop);
        RelayChannel last = ch.snapshot(config.idleTimeoutSeconds());
        totals.destroyed(ch.ending, last.aToB(), last.bToA());
        listeners.destroyed(last, ch.ending, ch.age(clock.nanoTime()));
        if (ch.waiter != null) {
            ch.waiter.complete(Optional.of(last));
        }
    }

    private void sweep() {
        long deadline = clock.nanoTime() - TimeUnit.SECONDS.toNanos(config.idleTimeoutSeconds());
        List<LiveChannel> idle = new ArrayList<>();
        for (LiveChannel c : registry.all()) {
            if (c.lastRxNanos() - deadline < 0) {
                idle.add(c);
            }
        }
        idle.forEach(c -> startDestroy(c, DestroyReason.EXPIRED, null));
    }

    /** Forgets old scan-guard sources; reads the interfaces again every 30 s (they come and go). */
    private void housekeeping() {
        sampleBusy();
        long now = clock.nanoTime();
        scanGuard.purge(now);
        if (System.nanoTime() - nextAddressRefresh >= 0) {
            nextAddressRefresh = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            localAddresses.refresh(config.bindAddress());
        }
    }

    /** Once a second: the share of the last second each loop spent working. */
    private void sampleBusy() {
        long t = System.nanoTime();
        long elapsed = t - busySampled;
        List<IoLoop> all = loops.all();
        if (elapsed < 1_000_000_000L) {
            if (ioLoopBusy.size() != all.size()) { // a new loop set reads idle until its first second is measured
                ioLoopBusy = java.util.Collections.nCopies(all.size(), 0.0);
            }
            return;
        }
        long[] now = new long[all.size()];
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < now.length; i++) {
            now[i] = all.get(i).busyNanos();
            long before = i < busyBefore.length && busyBefore[i] <= now[i] ? busyBefore[i] : now[i];
            ratios.add(Math.min(1.0, (double) (now[i] - before) / elapsed));
        }
        busyBefore = now;
        busySampled = t;
        ioLoopBusy = List.copyOf(ratios);
    }

    /** A loop thread that ended without a word is as dead as one that reported it. */
    private void watchLoops() {
        for (IoLoop l : loops.all()) {
            if (!l.isAlive()) {
                loopDied(l, new IllegalStateException("thread " + l.thread().getName() + " ended"));
            }
        }
    }

    private void loopDied(IoLoop dead, Throwable cause) {
        if (!loops.contains(dead)) {
            return; // handled already
        }
        totals.loopFaults.increment();
        List<LiveChannel> lost = new ArrayList<>();
        for (LiveChannel c : registry.all()) {
            if (c.loop == dead) {
                lost.add(c);
            }
        }
        lost.forEach(c -> startDestroy(c, DestroyReason.FAULT, null));
        String replaced;
        try {
            loops.replace(dead);
            replaced = "a new loop takes its place";
        } catch (IOException e) {
            replaced = "no new loop could be opened (" + e.getMessage() + "), " + loops.size() + " remain";
        }
        log.error("I/O loop " + dead.thread().getName() + " died; " + lost.size() + " channel(s) destroyed (FAULT), "
                + replaced, cause);
        for (LiveChannel c : new ArrayList<>(closing)) {
            if (c.loop == dead) { // its loop will never report them closed: close them here
                c.closeSockets();
                finish(c);
            }
        }
    }

    private void apply(CoreConfig next) throws IOException {
        CoreConfig prev = config;
        if (!prev.samePorts(next)) {
            pool.configure(next.bindAddress(), next.portMin(), next.portMax(), next.rtcp());
        }
        if (next.bindAddress6() == null) {
            pool6 = null; // live bridges give their ports back to the pool they came from
        } else if (pool6 == null || !next.bindAddress6().equals(prev.bindAddress6()) || !prev.samePorts(next)) {
            pool6 = new PortPool(next.bindAddress6(), next.portMin(), next.portMax(), next.rtcp());
        }
        if (prev.ioThreads() != next.ioThreads() || !prev.ioEngine().equals(next.ioEngine())) {
            if (registry.size() == 0 && closing.isEmpty()) {
                // no channel lives: the configuration arrived just after a start on defaults
                IoLoops fresh = new IoLoops(IoEngines.get(next.ioEngine()), next.ioThreads(), coalesceNanos(next), this, clock, scanGuard);
                loops.stop();
                loops = fresh;
            } else {
                log.info("io.threads=" + next.ioThreads() + ", io.engine=" + next.ioEngine() + " take effect when the relay.core"
                        + " component restarts (" + loops.size() + " " + loops.engine().name() + " loops run now, for the live channels)");
            }
        }
        if (prev.maxKbps() != next.maxKbps() || prev.maxPps() != next.maxPps()) { // caps apply to live channels at once
            for (LiveChannel ch : registry.all()) {
                ch.loop.setCaps(ch, LiveChannel.lower(next.maxKbps(), ch.policyKbps), LiveChannel.lower(next.maxPps(), ch.policyPps));
            }
        }
        loops.coalesce(coalesceNanos(next));
        handoverQuietNanos = TimeUnit.MILLISECONDS.toNanos(next.handoverQuietMs());
        scanGuard.configure(next.scanGuardPorts(), next.scanGuardSeconds(), next.scanGuardExempt());
        localAddresses.refresh(next.bindAddress());
        listeners.capacity(next.listenerQueue());
        config = next;
        warnAboutLimits(next);
    }

    private static long coalesceNanos(CoreConfig cfg) {
        return TimeUnit.MICROSECONDS.toNanos(cfg.coalesceMicros());
    }

    /** One line each when the process or the port range cannot hold {@code max.channels}. */
    private void warnAboutLimits(CoreConfig cfg) {
        long needed = 4L * cfg.maxChannels() + 256;
        long limit = FileDescriptors.limit();
        if (limit >= 0 && limit < needed) {
            log.warn("the process may open " + limit + " files, fewer than the " + needed + " that max.channels="
                    + cfg.maxChannels() + " needs (4 per channel + 256): raise the limit (ulimit -n)"
                    + " or expect denials with reason RESOURCES");
        }
        int range = pool.channelCapacity();
        if (range < cfg.maxChannels()) {
            log.warn("the port range " + cfg.portMin() + ".." + cfg.portMax() + " holds " + range
                    + " channels, fewer than max.channels=" + cfg.maxChannels());
        }
    }

    // --- IoLoop.Events: called on I/O threads; they only enqueue

    @Override
    public void latched(LiveChannel channel, Side side) {
        submit(() -> listeners.latched(channel.snapshot(config.idleTimeoutSeconds()), side));
    }

    @Override
    public void closed(LiveChannel channel) {
        submit(() -> finish(channel));
    }

    @Override
    public void died(IoLoop loop, Throwable cause) {
        submit(() -> loopDied(loop, cause));
    }

    @Override
    public boolean isRelaySocket(InetSocketAddress source) {
        PortPool six = pool6;
        return (pool.isRelayPort(source.getPort()) || (six != null && six.isRelayPort(source.getPort())))
                && localAddresses.contains(source.getAddress());
    }

    @Override
    public long handoverQuietNanos() {
        return handoverQuietNanos;
    }

    @Override
    public void failed(String what, Throwable error) {
        log.error(what, error);
    }

    // --- helpers

    private <T> CompletableFuture<T> request(Body<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(new Command() {
            @Override
            public void run() {
                try {
                    result.complete(body.run());
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void refuse() {
                result.completeExceptionally(notActive());
            }
        });
        return result;
    }

    /** Enqueues; if the conductor has ended, the command is refused here (or was by the conductor). */
    private void submit(Command c) {
        commands.add(c);
        LockSupport.unpark(thread);
        if (ended && commands.remove(c)) {
            c.refuse();
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(cause.getMessage(), cause);
    }

    private static IllegalStateException notActive() {
        return new IllegalStateException("the relay is not active");
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
