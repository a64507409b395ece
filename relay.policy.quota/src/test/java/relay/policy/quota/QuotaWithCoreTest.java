package relay.policy.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.spi.ChannelListener;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Poll;

/** The quota bound to the real relay on loopback (ports 24500-24999). */
class QuotaWithCoreTest {

    private static final BareJid ALICE = BareJid.parse("alice@example.com");
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final CapturedLog log = new CapturedLog(QuotaPolicy.PID);
    private final RelayCore core = new RelayCore();
    private final QuotaPolicy policy = new QuotaPolicy();
    private final Map<String, DestroyReason> destroyed = new ConcurrentHashMap<>();

    /** The configuration as DS hands it to the component. */
    private static QuotaConfig config(Map<String, ?> properties) {
        return ComponentConfig.of(QuotaConfig.class, properties);
    }

    private void start(int idleTimeoutSeconds, Map<String, Object> quota) {
        Map<String, Object> config = new HashMap<>(Map.of("bind.address", "127.0.0.1", "public.address", "127.0.0.1",
                "port.min", 24500, "port.max", 24999, "io.threads", 1, "idle.timeout", idleTimeoutSeconds));
        core.activate(ComponentConfig.of(RelayCoreConfig.class, config));
        core.bindListener(new ChannelListener() {
            @Override
            public void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
                destroyed.put(channel.id(), reason);
            }
        });
        policy.activate(config(quota));
        core.bindPolicy(policy, Map.of("service.id", 1L));
    }

    @AfterEach
    void stop() {
        core.deactivate();
        log.close();
    }

    private RelayChannel allocate(BareJid user) throws RelayDeniedException {
        return core.allocate(ChannelRequest.of(user, "test"));
    }

    private RelayDeniedException denied(BareJid user) {
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> allocate(user));
        assertEquals(RelayDeniedException.Reason.POLICY, e.reason());
        assertEquals("quota", e.policy());
        return e;
    }

    @Test
    void fiftyConcurrentRequestsAgainstALimitOfThreeGetExactlyThree() throws Exception {
        start(60, Map.of("max.channels.per.user", 3));
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Boolean>> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(() -> {
                go.await();
                try {
                    allocate(ALICE);
                    return true;
                } catch (RelayDeniedException e) {
                    assertEquals("quota", e.policy());
                    return false;
                }
            });
        }
        ExecutorService threads = Executors.newFixedThreadPool(50);
        try {
            List<Future<Boolean>> outcomes = requests.stream().map(threads::submit).toList();
            go.countDown();
            int granted = 0;
            for (Future<Boolean> outcome : outcomes) {
                granted += outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(3, granted);
            assertEquals(3, core.channels(ALICE).size());
            assertEquals(47, core.stats().denied().get(RelayDeniedException.Reason.POLICY));
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /**
     * Allocations, destroys and idle expiry of one user, concurrently, for a minute (property
     * {@code relay.churn.seconds} to change it): the user never holds more than the limit, as
     * the listeners count it, and at the end the count equals the live channels.
     */
    @Test
    void theQuotaHoldsExactlyUnderAMinuteOfChurn() throws Exception {
        start(1, Map.of("max.channels.per.user", 3));
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        core.bindListener(new ChannelListener() {
            @Override
            public void created(RelayChannel channel) {
                most.accumulateAndGet(held.incrementAndGet(), Math::max);
            }

            @Override
            public void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
                held.decrementAndGet();
            }
        });
        long seconds = Long.getLong("relay.churn.seconds", 60);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            int worker = t;
            workers.add(threads.submit(() -> {
                java.util.Random random = new java.util.Random(worker);
                while (System.nanoTime() < until) {
                    try {
                        RelayChannel ch = allocate(ALICE);
                        made.incrementAndGet();
                        switch (random.nextInt(3)) {
                            case 0 -> core.destroy(ch.id());
                            case 1 -> core.destroyAsync(ch.id(), DestroyReason.REQUESTED);
                            default -> { } // left to expire
                        }
                    } catch (RelayDeniedException e) {
                        Thread.sleep(random.nextInt(3));
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(seconds + PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertTrue(made.get() > 100, "churn happened: " + made.get() + " channels");
        assertTrue(most.get() <= 3, "alice held " + most.get() + " channels at once");
        Poll.eventually(() -> held.get() == core.channels(ALICE).size());
        assertEquals(core.channels(ALICE).size(), held.get(), "the count equals the live channels");
    }

    @Test
    void aDestroyedChannelFreesAPlaceAtOnce() throws Exception {
        start(60, Map.of("max.channels.per.user", "1"));
        RelayChannel first = allocate(ALICE);
        assertEquals("alice@example.com already holds 1 live channel, the limit is 1", denied(ALICE).getMessage());
        allocate(BareJid.parse("bob@example.com"));
        core.destroy(first.id());
        allocate(ALICE);
    }

    @Test
    void anExpiredChannelFreesAPlace() throws Exception {
        start(1, Map.of("max.channels.per.user", 1));
        RelayChannel first = allocate(ALICE);
        denied(ALICE);
        RelayChannel second = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (second == null && System.nanoTime() < deadline) {
            try {
                second = allocate(ALICE);
            } catch (RelayDeniedException e) {
                Thread.sleep(50);
            }
        }
        assertNotNull(second, "no place was freed within " + PATIENCE);
        // the relay tells its listeners on a thread of their own, maybe after the place is free
        Poll.eventually(() -> destroyed.containsKey(first.id()));
        assertEquals(DestroyReason.EXPIRED, destroyed.get(first.id()));
    }

    @Test
    void anUpdateDecidesTheVeryNextRequestAndLoweringCutsNoChannel() throws Exception {
        start(60, Map.of("max.channels.per.user", 1));
        allocate(ALICE);
        denied(ALICE);
        policy.modified(config(Map.of("max.channels.per.user", 3)));
        allocate(ALICE);
        allocate(ALICE);
        policy.modified(config(Map.of("max.channels.per.user", 1)));
        assertEquals("alice@example.com already holds 3 live channels, the limit is 1", denied(ALICE).getMessage());
        assertEquals(3, core.channels(ALICE).size());
        policy.modified(config(Map.of("max.channels.per.user", 1, "overrides", "example.com=4")));
        allocate(ALICE);
    }

    @Test
    void anInvalidUpdateLeavesThePreviousLimitDeciding() throws Exception {
        start(60, Map.of("max.channels.per.user", 1));
        policy.modified(config(Map.of("max.channels.per.user", "-5")));
        assertEquals(1, log.messages(java.util.logging.Level.SEVERE).size());
        allocate(ALICE);
        denied(ALICE);
    }

    @Test
    void theRateLimitDeniesChurnAndSaysWhenToRetry() throws Exception {
        start(60, Map.of("max.channels.per.user", 10, "max.requests.per.minute", 2));
        core.destroy(allocate(ALICE).id());
        core.destroy(allocate(ALICE).id());
        RelayDeniedException e = denied(ALICE);
        assertNotNull(e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ZERO) > 0 && e.retryAfter().compareTo(Duration.ofMinutes(1)) <= 0,
                e.retryAfter().toString());
        assertTrue(e.getMessage().startsWith("alice@example.com reached the limit of 2 channel allocations per minute"),
                e.getMessage());
        allocate(BareJid.parse("bob@example.com"));
        policy.modified(config(Map.of("max.channels.per.user", 10)));
        allocate(ALICE);
    }

    @Test
    void deniedRequestsDoNotCountTowardsTheRate() throws Exception {
        start(60, Map.of("max.channels.per.user", 1, "max.requests.per.minute", 2));
        RelayChannel first = allocate(ALICE);
        for (int i = 0; i < 5; i++) {
            denied(ALICE);
        }
        core.destroy(first.id());
        allocate(ALICE);
    }
}
