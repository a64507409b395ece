package relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.cluster.ClusterNode;
import relay.testing.ComponentConfig;
import relay.testing.Poll;
import relay.testing.TestRedis;
import relay.testing.UdpPeer;

/** Three nodes in this JVM on the real Redis (ports 29000-29599 and 29600-29999). */
class ClusterTest {

    private static final BareJid ALICE = BareJid.parse("alice@example.com");

    private final String prefix = TestRedis.newPrefix();
    private final List<TestNode> nodes = new ArrayList<>();
    private URI redis = TestRedis.URI_;

    @BeforeAll
    static void redisAnswers() {
        TestRedis.requireReachable();
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
        TestRedis.clean(redis, prefix);
    }

    private TestNode node(String id, Map<String, Object> quota, Map<String, Object> cluster) {
        TestNode n = new TestNode(id, 29000 + 200 * nodes.size(), redis, prefix, quota, cluster);
        nodes.add(n);
        return n;
    }

    private List<TestNode> three(Map<String, Object> quota) {
        return List.of(node("a", quota, Map.of()), node("b", quota, Map.of()), node("c", quota, Map.of()));
    }

    @Test
    void fiftyConcurrentRequestsOverThreeNodesGiveExactlyTheLimit() throws Exception {
        List<TestNode> all = three(Map.of("max.channels.per.user", 4));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TestNode n = all.get(i % 3);
            results.add(pool.submit(() -> {
                go.await();
                try {
                    return n.allocate("alice@example.com");
                } catch (RelayDeniedException e) {
                    return e;
                }
            }));
        }
        go.countDown();
        int channels = 0;
        for (Future<Object> f : results) {
            Object r = f.get();
            if (r instanceof RelayChannel) {
                channels++;
            } else {
                RelayDeniedException e = (RelayDeniedException) r;
                assertEquals("quota", e.policy());
                assertTrue(e.getMessage().contains("on the cluster, the limit is 4"), e.getMessage());
            }
        }
        pool.shutdown();
        assertEquals(4, channels);
        assertEquals(4, all.stream().mapToInt(n -> n.core.channels().size()).sum());
        assertEquals(4, all.get(0).cluster.held(ALICE).values().stream().mapToInt(Integer::intValue).sum());

        // a destroyed channel frees a place on every node, once the owner told Redis
        TestNode owner = all.stream().filter(n -> !n.core.channels().isEmpty()).findFirst().orElseThrow();
        owner.core.destroy(owner.core.channels().get(0).id());
        TestNode other = all.stream().filter(n -> n != owner).findFirst().orElseThrow();
        Poll.until("a place free again on another node", () -> {
            try {
                return other.allocate("alice@example.com") != null;
            } catch (RelayDeniedException e) {
                return false;
            }
        });
    }

    @Test
    void theAllocationRateIsClusterWideAndABookingThatFailsIsGivenBack() throws Exception {
        List<TestNode> all = three(Map.of("max.channels.per.user", 10, "max.requests.per.minute", 3));
        // a channel the relay itself refuses (no capacity on b) gives its booking back
        all.get(1).core.modified(ComponentConfig.of(relay.core.RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1",
                "public.address", "127.0.0.1", "port.min", 29200, "port.max", 29399, "io.threads", 1, "max.channels", 0)));
        assertEquals(RelayDeniedException.Reason.CAPACITY,
                assertThrows(RelayDeniedException.class, () -> all.get(1).allocate("alice@example.com")).reason());
        assertEquals(Map.of(), all.get(0).cluster.held(ALICE), "the refused channel's booking was given back");

        all.get(0).allocate("alice@example.com");
        all.get(2).allocate("alice@example.com");
        all.get(0).allocate("alice@example.com");
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> all.get(2).allocate("alice@example.com"));
        assertEquals("quota", e.policy());
        assertTrue(e.getMessage().contains("3 channel allocations per minute on the cluster"), e.getMessage());
        assertNotNull(e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(61)) < 0 && !e.retryAfter().isNegative(), e.retryAfter().toString());
        assertNotNull(all.get(0).allocate("bob@example.com"), "another user has a rate of its own");
    }

    @Test
    void anyNodeKnowsWhichNodeHoldsAChannelAndTheNodesAreListed() throws Exception {
        List<TestNode> all = three(Map.of("max.channels.per.user", 10));
        RelayChannel onB = all.get(1).allocate("alice@example.com");
        Optional<ClusterNode> owner = all.get(2).cluster.ownerOf(onB.id());
        assertEquals("b", owner.orElseThrow().id());
        assertEquals(URI.create("http://127.0.0.1:1/b"), owner.get().restUrl());
        assertFalse(owner.get().local());
        assertTrue(all.get(1).cluster.ownerOf(onB.id()).orElseThrow().local());
        assertTrue(all.get(0).cluster.ownerOf("no-such-channel").isEmpty());

        List<ClusterNode> listed = all.get(0).cluster.nodes();
        assertEquals(List.of("a", "b", "c"), listed.stream().map(ClusterNode::id).toList());
        assertEquals(List.of(true, false, false), listed.stream().map(ClusterNode::local).toList());
        assertEquals(1, listed.get(1).liveChannels());
        assertEquals("127.0.0.1", listed.get(1).publicAddress());
        assertTrue(listed.get(1).capacity() > 0 && listed.get(1).freePorts() > 0, listed.get(1).toString());

        all.get(1).core.destroy(onB.id());
        Poll.until("the directory forgets a destroyed channel", () -> all.get(2).cluster.ownerOf(onB.id()).isEmpty());
    }

    @Test
    void leastLoadedPlacementPicksTheNodeWithTheMostSpareCapacity() throws Exception {
        TestNode a = node("a", Map.of("max.channels.per.user", 100), Map.of("placement", "least-loaded"));
        TestNode b = node("b", Map.of("max.channels.per.user", 100), Map.of("placement", "least-loaded"));
        TestNode c = node("c", Map.of("max.channels.per.user", 100), Map.of());
        assertEquals("a", a.cluster.placement().id(), "all equal: the node asked");
        for (int i = 0; i < 3; i++) {
            a.allocate("u" + i + "@example.com");
        }
        b.allocate("v@example.com");
        c.allocate("w@example.com");
        c.allocate("x@example.com");
        assertEquals("b", a.cluster.placement().id(), "b and c hold fewer than a; b fewer than c");
        assertEquals("b", b.cluster.placement().id());
        assertEquals("c", c.cluster.placement().id(), "placement local: always the node asked");
    }

    @Test
    void aNodeThatDiesFreesItsUsersQuotaAndLeavesTheDirectoryWithinThreeHeartbeats() throws Exception {
        List<TestNode> all = three(Map.of("max.channels.per.user", 2));
        RelayChannel onA1 = all.get(0).allocate("alice@example.com");
        all.get(0).allocate("alice@example.com");
        assertThrows(RelayDeniedException.class, () -> all.get(1).allocate("alice@example.com"));
        all.get(0).cluster.crash();
        long died = System.nanoTime();
        Poll.until("b sees a's channels leave the directory", () -> all.get(1).cluster.ownerOf(onA1.id()).isEmpty());
        Poll.until("b lists a no more", () -> all.get(1).cluster.nodes().stream().noneMatch(n -> n.id().equals("a")));
        assertTrue(all.get(1).cluster.available(), () -> String.valueOf(all.get(1).log.messages(Level.SEVERE)));
        assertNotNull(all.get(1).allocate("alice@example.com"), "alice's quota is free again");
        assertNotNull(all.get(2).allocate("alice@example.com"));
        assertTrue(System.nanoTime() - died < Duration.ofSeconds(6).toNanos(), "within 3 heartbeats of 1 s, and a sweep");
        Poll.until("a sweep forgets a, in one line", () -> all.subList(1, 3).stream()
                .flatMap(n -> n.log.messages(Level.WARNING).stream()).anyMatch(m -> m.contains("node a missed 3 heartbeats")));
    }

    @Test
    void withRedisDownDenyRefusesNewChannelsKeepsForwardingAndResumesWithCountsRebuilt() throws Exception {
        try (TestRedis.Private own = new TestRedis.Private()) {
            redis = own.uri();
            TestNode a = node("a", Map.of("max.channels.per.user", 2), Map.of());
            TestNode b = node("b", Map.of("max.channels.per.user", 2), Map.of("on.redis.down", "local"));
            RelayChannel live = a.allocate("alice@example.com");
            try (UdpPeer pa = new UdpPeer(); UdpPeer pb = new UdpPeer()) {
                pa.send(live.sideA().rtpPort(), "hello");
                pb.send(live.sideB().rtpPort(), "hi");
                assertEquals("hi", new String(pa.receive(5000)), "forwards before Redis goes");
                own.stop();
                Poll.until("a notices Redis is gone", () -> !a.cluster.available());
                RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> a.allocate("bob@example.com"));
                assertEquals(RelayDeniedException.Reason.POLICY, e.reason());
                assertEquals("cluster", e.policy());
                assertTrue(e.getMessage().contains("is unreachable"), e.getMessage());
                assertTrue(a.log.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("on.redis.down = deny")));

                pa.send(live.sideA().rtpPort(), "still here");
                assertEquals("still here", new String(pb.receive(5000)), "live channels keep forwarding");

                // b falls back to its own quota (limit 2 counted locally)
                Poll.until("b notices Redis is gone", () -> !b.cluster.available());
                b.allocate("alice@example.com");
                b.allocate("alice@example.com");
                assertEquals("quota", assertThrows(RelayDeniedException.class, () -> b.allocate("alice@example.com")).policy());
                assertTrue(b.log.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("on.redis.down = local")));

                own.start(); // empty: it kept nothing
                Poll.until("a is back", a.cluster::available);
                Poll.until("b is back", b.cluster::available);
                assertEquals(Map.of("a", 1, "b", 2), a.cluster.held(ALICE), "counts rebuilt from the live channels");
                assertEquals("a", b.cluster.ownerOf(live.id()).orElseThrow().id(), "the directory rebuilt");
                assertNotNull(a.allocate("bob@example.com"), "new channels again");
                assertEquals("quota", assertThrows(RelayDeniedException.class, () -> a.allocate("alice@example.com")).policy(),
                        "alice holds 3 over the cluster, the limit is 2");
            }
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedAndTheOldOneStays() throws Exception {
        TestNode a = node("a", Map.of(), Map.of());
        a.cluster.modified(ComponentConfig.of(ClusterConfig.class,
                TestNode.config("a", redis, prefix, Map.of("placement", "round-robin"))));
        assertTrue(a.log.messages(Level.SEVERE).stream()
                .anyMatch(m -> m.contains("placement must be local or least-loaded, not 'round-robin'")));
        assertTrue(a.cluster.available());
        assertNotNull(a.allocate("alice@example.com"));
        assertEquals(Map.of("a", 1), a.cluster.held(ALICE));
    }
}
