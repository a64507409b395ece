package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayDeniedException.Reason;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;

class CandidateProcessorTest {

    private RelayCore core;

    @BeforeEach
    void start() {
        core = Relays.start(Relays.config(21700, 21899, "max.channels", 20));
    }

    @AfterEach
    void stop() {
        core.deactivate();
    }

    /** Allows one live channel per user, reading the count the relay gives it. */
    private static final class OnePerUser implements RelayPolicy {
        @Override
        public String name() {
            return "one-per-user";
        }

        @Override
        public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
            int live = context.liveChannels(request.user());
            Thread.yield(); // widen the window a racing request would need
            return live >= 1 ? PolicyDecision.deny(request.user() + " already has a channel") : PolicyDecision.allow();
        }
    }

    @Test
    void concurrentRequestsOfOneUserCannotBothPassAQuotaOfOne() throws Exception {
        core.bindPolicy(new OnePerUser(), Map.of("service.id", 1L));
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                try {
                    return core.allocate(ChannelRequest.of("alice@example.com/res" + Thread.currentThread().getId()));
                } catch (RelayDeniedException e) {
                    return e;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Object> f : results) {
            Object r = f.get(10, TimeUnit.SECONDS);
            if (r instanceof RelayChannel) {
                won++;
            } else {
                RelayDeniedException e = (RelayDeniedException) r;
                assertEquals(Reason.POLICY, e.reason());
                assertEquals("one-per-user", e.policy());
            }
        }
        pool.shutdown();
        assertEquals(1, won, "exactly one request wins");
        assertEquals(1, core.channels().size());
        assertEquals(threads - 1L, core.stats().denied().get(Reason.POLICY));
    }

    @Test
    void theFirstDenialInRankingOrderWinsAndAllocatesNothing() throws Exception {
        core.bindPolicy(fixed("low", PolicyDecision.deny("low says no")), Map.of("service.ranking", 1, "service.id", 5L));
        core.bindPolicy(fixed("high", PolicyDecision.deny("high says no", Duration.ofSeconds(7))),
                Map.of("service.ranking", 10, "service.id", 6L));
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@b.example")));
        assertEquals("high", e.policy());
        assertEquals("high says no", e.getMessage());
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertEquals(core.stats().portsTotal(), core.stats().portsFree());
        assertTrue(core.channels().isEmpty());
    }

    /** Counts what it books in evaluate and what it is given back. */
    private static final class Booking implements RelayPolicy {
        final List<String> heard = new ArrayList<>();

        @Override
        public String name() {
            return "booking";
        }

        @Override
        public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
            heard.add("evaluate " + request.user());
            return PolicyDecision.allow();
        }

        @Override
        public void allocated(RelayChannel channel) {
            heard.add("allocated " + channel.owner());
        }

        @Override
        public void notAllocated(ChannelRequest request) {
            heard.add("notAllocated " + request.user());
        }
    }

    @Test
    void aPolicyThatAllowedHearsWhenNoChannelCameOfItAndTheOnesNeverAskedHearNothing() throws Exception {
        Booking first = new Booking();
        Booking last = new Booking();
        core.bindPolicy(first, Map.of("service.ranking", 10, "service.id", 11L));
        RelayPolicy middle = fixed("middle", PolicyDecision.deny("middle says no"));
        core.bindPolicy(middle, Map.of("service.ranking", 5, "service.id", 12L));
        core.bindPolicy(last, Map.of("service.ranking", 1, "service.id", 13L));
        assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@b.example")));
        assertEquals(List.of("evaluate a@b.example", "notAllocated a@b.example"), first.heard);
        assertEquals(List.of(), last.heard, "a policy after the denial was never asked");

        core.unbindPolicy(middle, Map.of("service.id", 12L));
        core.modified(Relays.typed(Relays.config(21700, 21899, "max.channels", 0)));
        assertEquals(Reason.CAPACITY,
                assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("c@b.example"))).reason());
        assertEquals("notAllocated c@b.example", first.heard.get(first.heard.size() - 1), "the relay itself refused");
        assertEquals(List.of("evaluate c@b.example", "notAllocated c@b.example"), last.heard);

        core.modified(Relays.typed(Relays.config(21700, 21899, "max.channels", 20)));
        core.allocate(ChannelRequest.of("d@b.example"));
        assertEquals(List.of("evaluate c@b.example", "notAllocated c@b.example", "evaluate d@b.example",
                "allocated d@b.example"), last.heard);
    }

    @Test
    void aPolicyThatThrowsOrVanishesFailsClosedAndThenStopsMattering() throws Exception {
        RelayPolicy broken = new RelayPolicy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
                throw new IllegalStateException("bundle stopped under our feet");
            }
        };
        Map<String, Object> props = Map.of("service.id", 9L);
        core.bindPolicy(broken, props);
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@b.example")));
        assertEquals("broken", e.policy());
        assertTrue(e.getMessage().contains("bundle stopped under our feet"), e.getMessage());
        core.unbindPolicy(broken, props);
        assertNotNull(core.allocate(ChannelRequest.of("a@b.example")), "the next request no longer sees it");
    }

    @Test
    void drainRefusesNewChannelsAndKeepsLiveOnes() throws Exception {
        RelayChannel live = core.allocate(ChannelRequest.of("a@b.example"));
        core.drain(true);
        assertTrue(core.draining());
        assertEquals(Reason.DRAINING,
                assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("c@b.example"))).reason());
        assertTrue(core.channel(live.id()).isPresent());
        core.drain(false);
        assertNotNull(core.allocate(ChannelRequest.of("c@b.example")));
    }

    @Test
    void capacityIsGlobalAndAppliesAtOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            core.allocate(ChannelRequest.of("u" + i + "@b.example"));
        }
        core.modified(Relays.typed(Relays.config(21700, 21899, "max.channels", 5)));
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("x@b.example")));
        assertEquals(Reason.CAPACITY, e.reason());
        assertEquals(5, core.channels().size(), "lowering the capacity cuts no live channel");
        core.destroy(core.channels().get(0).id());
        assertNotNull(core.allocate(ChannelRequest.of("x@b.example")), "a destroyed channel frees a place");
    }

    @Test
    void unknownIdsAreNotFoundAndIdsAreUnguessable() throws Exception {
        assertTrue(core.destroy("no-such-channel").isEmpty());
        assertTrue(core.channel("../../etc/passwd").isEmpty());
        assertTrue(core.channel(null).isEmpty());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = core.allocate(ChannelRequest.of("u" + i + "@b.example")).id();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            ids.add(id);
        }
        assertEquals(10, ids.size());
        String id = ids.iterator().next();
        assertTrue(core.destroy(id).isPresent());
        assertTrue(core.destroy(id).isEmpty(), "destroying twice finds nothing the second time");
        assertThrows(IllegalArgumentException.class, () -> core.destroy(ids.iterator().next(), DestroyReason.EXPIRED));
        assertThrows(IllegalArgumentException.class, () -> core.allocate(null));
    }

    @Test
    void channelsAreListedNewestFirstAndByOwner() throws Exception {
        RelayChannel a1 = core.allocate(ChannelRequest.of("a@b.example"));
        RelayChannel c = core.allocate(ChannelRequest.of("c@b.example"));
        RelayChannel a2 = core.allocate(ChannelRequest.of("A@B.example/x"));
        assertEquals(List.of(a2.id(), c.id(), a1.id()), core.channels().stream().map(RelayChannel::id).toList());
        assertEquals(List.of(a2.id(), a1.id()),
                core.channels(relay.api.BareJid.parse("a@b.example")).stream().map(RelayChannel::id).toList());
    }

    private static RelayPolicy fixed(String name, PolicyDecision d) {
        return new RelayPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
                return d;
            }
        };
    }
}
