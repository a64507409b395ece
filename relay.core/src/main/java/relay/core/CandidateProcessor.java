package relay.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayDeniedException.Reason;
import relay.api.RelayStats;
import relay.api.Side;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;

/**
 * Allocates and destroys channels. An allocation asks every policy, checks drain mode and
 * capacity, takes ports and hands the sockets to an I/O loop; for one user this happens one
 * request at a time, so two concurrent requests can never both pass a quota of one.
 */
final class CandidateProcessor implements IoLoop.Events {

    private static final int USER_STRIPES = 256;

    private final Log log;
    private final Policies policies;
    private final Listeners listeners;
    private final ChannelRegistry registry = new ChannelRegistry();
    private final Totals totals = new Totals();
    private final Object[] userLocks = new Object[USER_STRIPES];
    private final SecureRandom random = new SecureRandom();
    private final java.time.Instant started = java.time.Instant.now();
    private final PortPool pool;
    /** Replaced only while no channel lives (a new {@code io.threads} before the first allocation). */
    private volatile IoLoops loops;
    private final java.util.concurrent.locks.ReadWriteLock loopsLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final TimeoutMonitor monitor;
    private final PolicyContext context = new PolicyContext() {
        @Override
        public int liveChannels(BareJid user) {
            return registry.count(user);
        }

        @Override
        public int liveChannels() {
            return registry.size();
        }
    };
    private volatile CoreConfig config;
    private volatile boolean draining;
    private volatile boolean stopping;

    CandidateProcessor(CoreConfig config, Policies policies, Listeners listeners, Log log) throws IOException {
        this.config = config;
        this.policies = policies;
        this.listeners = listeners;
        this.log = log;
        for (int i = 0; i < USER_STRIPES; i++) {
            userLocks[i] = new Object();
        }
        this.pool = new PortPool(config.bindAddress(), config.portMin(), config.portMax(), config.rtcp());
        this.loops = new IoLoops(config.ioThreads(), this);
        this.monitor = new TimeoutMonitor(() -> TimeUnit.SECONDS.toNanos(this.config.idleTimeoutSeconds()),
                this::expireIdleSince, log);
    }

    CoreConfig config() {
        return config;
    }

    /** Applies a validated configuration: ports and latching to new channels, timeouts at once. */
    void reconfigure(CoreConfig next) {
        CoreConfig prev = config;
        if (!prev.bindAddress().equals(next.bindAddress()) || prev.portMin() != next.portMin()
                || prev.portMax() != next.portMax() || prev.rtcp() != next.rtcp()) {
            pool.configure(next.bindAddress(), next.portMin(), next.portMax(), next.rtcp());
        }
        if (prev.ioThreads() != next.ioThreads() && !replaceLoopsWhileIdle(next.ioThreads())) {
            log.info("io.threads=" + next.ioThreads() + " takes effect when the relay.core component restarts ("
                    + loops.size() + " loops run now, for the live channels)");
        }
        config = next;
    }

    /**
     * With no live channel, the loops can be replaced at once: this is what happens when the
     * configuration arrives just after the component started on defaults.
     */
    private boolean replaceLoopsWhileIdle(int threads) {
        loopsLock.writeLock().lock();
        try {
            if (registry.size() > 0) {
                return false;
            }
            IoLoops old = loops;
            loops = new IoLoops(threads, this);
            old.stop();
            return true;
        } catch (IOException e) {
            log.error("cannot start " + threads + " I/O loops; keeping " + loops.size(), e);
            return false;
        } finally {
            loopsLock.writeLock().unlock();
        }
    }

    RelayChannel allocate(ChannelRequest request) throws RelayDeniedException {
        if (request == null) {
            totals.invalid.increment();
            throw new IllegalArgumentException("channel request is missing");
        }
        if (stopping) {
            throw new IllegalStateException("the relay is stopping");
        }
        CoreConfig cfg = config;
        if (draining) {
            throw denied(Reason.DRAINING, null, "the relay is draining: live channels run on, no new ones are made", null);
        }
        BareJid user = request.user();
        RelayChannel channel;
        RelayPolicy[] asked = policies.current();
        synchronized (userLocks[Math.floorMod(user.hashCode(), USER_STRIPES)]) {
            for (RelayPolicy p : asked) {
                PolicyDecision d = ask(p, request);
                if (!d.allowed()) {
                    throw denied(Reason.POLICY, nameOf(p), d.message(), d.retryAfter());
                }
            }
            if (!registry.reserve(cfg.maxChannels())) {
                throw denied(Reason.CAPACITY, null, "the relay holds its maximum of " + cfg.maxChannels() + " channels", null);
            }
            LiveChannel live;
            loopsLock.readLock().lock();
            try {
                live = open(user, cfg);
                registry.add(live);
                live.loop.add(live);
            } catch (PortPool.PoolExhaustedException e) {
                registry.unreserve();
                throw denied(Reason.PORTS_EXHAUSTED, null, e.getMessage(), null);
            } finally {
                loopsLock.readLock().unlock();
            }
            channel = live.snapshot(cfg.idleTimeoutSeconds());
            for (RelayPolicy p : asked) {
                try {
                    p.allocated(channel);
                } catch (RuntimeException e) {
                    log.error("policy " + nameOf(p) + " failed to book channel " + channel.id(), e);
                }
            }
        }
        totals.allocated.increment();
        listeners.created(channel);
        return channel;
    }

    Optional<RelayChannel> destroy(String id, DestroyReason reason) {
        LiveChannel ch = registry.get(id);
        return ch == null ? Optional.empty() : destroy(ch, reason);
    }

    /** Closes the sockets, waits until their ports are back in the pool, tells the listeners. */
    Optional<RelayChannel> destroy(LiveChannel ch, DestroyReason reason) {
        if (!ch.markDestroyed()) {
            return Optional.empty();
        }
        registry.remove(ch);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ch.loop.remove(ch, () -> {
            release(ch);
            closed.complete(null);
        });
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("I/O loop did not close channel " + ch.id + " in time; closing it directly");
            ch.loop.execute(() -> { }); // nudge
            for (Endpoint e2 : ch.endpoints()) {
                PortPool.closeQuietly(e2.socket);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.unreserve();
        RelayChannel last = ch.snapshot(config.idleTimeoutSeconds());
        totals.destroyed(reason, last.aToB(), last.bToA());
        listeners.destroyed(last, reason, ch.age());
        return Optional.of(last);
    }

    Optional<RelayChannel> channel(String id) {
        LiveChannel ch = registry.get(id);
        return ch == null ? Optional.empty() : Optional.of(ch.snapshot(config.idleTimeoutSeconds()));
    }

    List<RelayChannel> channels(BareJid owner) {
        long expire = config.idleTimeoutSeconds();
        return registry.newestFirst(owner).stream().map(c -> c.snapshot(expire)).toList();
    }

    RelayStats stats() {
        relay.api.Traffic traffic = totals.retired();
        long expire = config.idleTimeoutSeconds();
        for (LiveChannel c : registry.newestFirst(null)) {
            RelayChannel s = c.snapshot(expire);
            traffic = traffic.plus(s.aToB()).plus(s.bToA());
        }
        CoreConfig cfg = config;
        return RelayStats.builder().started(started).liveChannels(registry.size()).allocated(totals.allocated.sum())
                .destroyed(totals.destroyed()).denied(totals.denied()).invalid(totals.invalid.sum()).forwarded(traffic)
                .portsFree(pool.freePorts()).portsTotal(pool.totalPorts()).draining(draining)
                .maxChannels(cfg.maxChannels()).build();
    }

    boolean draining() {
        return draining;
    }

    void drain(boolean on) {
        if (draining != on) {
            log.info(on ? "draining: no new channels" : "drain off: accepting new channels");
        }
        draining = on;
    }

    /** Destroys every channel with reason SHUTDOWN and ends every thread this processor started. */
    void shutdown() {
        stopping = true;
        try {
            monitor.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.stream().toList().forEach(c -> destroy(c, DestroyReason.SHUTDOWN));
        loops.stop();
        // a request that raced with the stop: its loop is gone, so close it here
        registry.stream().toList().forEach(c -> {
            if (c.markDestroyed()) {
                registry.remove(c);
                for (Endpoint e : c.endpoints()) {
                    PortPool.closeQuietly(e.socket);
                }
                release(c);
            }
        });
    }

    List<Thread> threads() {
        return loops.threads();
    }

    // --- timeout monitor

    private void expireIdleSince(long deadlineNanos) {
        registry.stream().filter(c -> c.lastRxNanos() - deadlineNanos < 0).toList()
                .forEach(c -> destroy(c, DestroyReason.EXPIRED));
    }

    // --- IoLoop.Events (called on I/O threads)

    @Override
    public void latched(LiveChannel channel, Side side) {
        listeners.latched(() -> channel.snapshot(config.idleTimeoutSeconds()), side);
    }

    @Override
    public boolean isRelaySocket(InetSocketAddress source) {
        return pool.isRelayPort(source.getPort()) && isLocal(source.getAddress());
    }

    @Override
    public long handoverQuietNanos() {
        return TimeUnit.MILLISECONDS.toNanos(config.handoverQuietMs());
    }

    @Override
    public void failed(String what, Throwable error) {
        log.error(what, error);
    }

    // --- helpers

    private LiveChannel open(BareJid user, CoreConfig cfg) throws PortPool.PoolExhaustedException {
        PortPool.Lease a = pool.take();
        PortPool.Lease b;
        try {
            b = pool.take();
        } catch (PortPool.PoolExhaustedException e) {
            a.closeQuietly();
            pool.release(a.port(), a.width());
            throw e;
        }
        return new LiveChannel(newId(), user, cfg.publicAddress(), cfg.latching() == CoreConfig.Latching.HANDOVER,
                a, b, loops.pick());
    }

    private void release(LiveChannel ch) {
        pool.release(ch.leaseA.port(), ch.leaseA.width());
        pool.release(ch.leaseB.port(), ch.leaseB.width());
    }

    private PolicyDecision ask(RelayPolicy p, ChannelRequest request) {
        try {
            PolicyDecision d = p.evaluate(request, context);
            return d == null ? PolicyDecision.deny("policy " + nameOf(p) + " gave no decision") : d;
        } catch (RuntimeException e) {
            // fail closed: a broken or vanishing policy must not let requests through
            log.error("policy " + nameOf(p) + " failed on a request by " + request.user(), e);
            return PolicyDecision.deny("policy " + nameOf(p) + " failed: " + e);
        }
    }

    private static String nameOf(RelayPolicy p) {
        try {
            return p.name();
        } catch (RuntimeException e) {
            return p.getClass().getName();
        }
    }

    private RelayDeniedException denied(Reason reason, String policy, String message, java.time.Duration retryAfter) {
        totals.denied(reason);
        return new RelayDeniedException(reason, policy, message, retryAfter);
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.equals(config.bindAddress())) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
