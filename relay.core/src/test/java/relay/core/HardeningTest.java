package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import relay.api.ChannelRequest;
import relay.api.DropReason;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.spi.ChannelListener;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;
import relay.testing.UdpPeer;

/** What the relay promises an attacker (issue: a relay that can face the internet), media plane and admission. */
class HardeningTest {

    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    private static DatagramSocket socketOn(String address) throws IOException {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
    }

    private static void send(DatagramSocket from, int port, byte... data) throws IOException {
        from.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void aSideWithAnExpectedPeerLatchesOnlyOntoIt() throws Exception {
        core = Relays.start(Relays.config(22700, 22799));
        try (DatagramSocket sprayer = socketOn("127.0.0.3"); UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ExpectedPeer peerA = ExpectedPeer.of(InetAddress.getLoopbackAddress(), a.port());
            RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com").withExpectedPeers(peerA, null));
            assertEquals(peerA, ch.sideA().expectedPeer());
            assertNull(ch.sideB().expectedPeer());

            send(sprayer, ch.portA(), (byte) 66); // first, but not the expected peer
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).orElseThrow().aToB().dropped(DropReason.UNEXPECTED_PEER) == 1));
            assertNull(core.channel(ch.id()).orElseThrow().sideA().rtpPeer(), "the sprayer did not take the port");

            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            a.send(ch.portA(), new byte[] {7});
            assertArrayEquals(new byte[] {7}, b.receive(2000));
            assertEquals(a.address(), core.channel(ch.id()).orElseThrow().sideA().rtpPeer());
        }
    }

    @Test
    void anExemptSourceLatchesAsManyPortsAsItLikesAndOnlyIt() throws Exception {
        core = Relays.start(Relays.config(21640, 21699, "scan.guard.ports", 2, "scan.guard.exempt", "192.0.2.0/24, 127.0.0.4"));
        List<RelayChannel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(core.allocate(ChannelRequest.of("u" + i + "@example.com")));
        }
        try (DatagramSocket sbc = socketOn("127.0.0.4"); DatagramSocket other = socketOn("127.0.0.5")) {
            for (RelayChannel ch : channels) {
                send(sbc, ch.portA(), (byte) 1);
                send(other, ch.portB(), (byte) 1);
            }
            assertTrue(Relays.eventually(() -> channels.stream().filter(c -> core.channel(c.id()).orElseThrow().sideA().latched())
                    .count() == 4), "the exempt source latched all four");
            assertTrue(Relays.eventually(() -> channels.stream().mapToLong(c -> core.channel(c.id()).orElseThrow().bToA()
                    .dropped(DropReason.SCAN_GUARD)).sum() == 2), "the other source was refused past two");
            assertEquals(0, channels.stream().mapToLong(c -> core.channel(c.id()).orElseThrow().aToB()
                    .dropped(DropReason.SCAN_GUARD)).sum());
        }
    }

    @Test
    void theHostsOwnLoopbackIsExemptByDefault() throws Exception {
        core = Relays.start(Relays.config(21640, 21699, "scan.guard.ports", 2));
        List<RelayChannel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(core.allocate(ChannelRequest.of("u" + i + "@example.com")));
        }
        try (DatagramSocket local = socketOn("127.0.0.6")) {
            for (RelayChannel ch : channels) {
                send(local, ch.portA(), (byte) 1);
            }
            assertTrue(Relays.eventually(() -> channels.stream().filter(c -> core.channel(c.id()).orElseThrow().sideA().latched())
                    .count() == 4), "a local process (a bench, a co-located media server) is no scanner");
        }
    }

    @Test
    void aSourceLatchingMorePortsThanAClientIsRefusedForAWhile() throws Exception {
        ManualClock clock = new ManualClock();
        // loopback is exempt by default: this test's scanner, 127.0.0.4, is not
        core = Relays.start(Relays.config(22800, 22999, "scan.guard.ports", 3, "scan.guard.seconds", 60,
                "scan.guard.exempt", ""), clock);
        List<RelayChannel> channels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            channels.add(core.allocate(ChannelRequest.of("u" + i + "@example.com")));
        }
        try (DatagramSocket scanner = socketOn("127.0.0.4"); UdpPeer honest = new UdpPeer()) {
            for (RelayChannel ch : channels) {
                send(scanner, ch.portA(), (byte) 1);
            }
            assertTrue(Relays.eventually(() -> channels.stream().mapToLong(c -> core.channel(c.id()).orElseThrow().aToB()
                    .dropped(DropReason.SCAN_GUARD)).sum() == 2), "the 4th and 5th latches were refused");
            assertEquals(3, channels.stream().filter(c -> core.channel(c.id()).orElseThrow().sideA().latched()).count());

            RelayChannel last = channels.get(4);
            honest.send(last.portB(), new byte[] {2}); // another source is not affected
            assertTrue(Relays.eventually(() -> core.channel(last.id()).orElseThrow().sideB().latched()));

            clock.advance(Duration.ofSeconds(61));
            send(scanner, last.portA(), (byte) 3);
            assertTrue(Relays.eventually(() -> core.channel(last.id()).orElseThrow().sideA().latched()), "the period is over");
        }
    }

    @Test
    void aRequiredPolicyThatIsAwayDeniesEveryAllocationNamingIt() throws Exception {
        core = Relays.start(Relays.config(23000, 23099, "required.policies", "whitelist, quota"));
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@example.com")));
        assertEquals(RelayDeniedException.Reason.POLICY, e.reason());
        assertEquals("whitelist", e.policy());
        assertEquals("policy whitelist is not available", e.getMessage());
        assertEquals(Map.of("whitelist", 1L), core.stats().deniedByPolicy(), "denials are counted per policy");

        core.bindPolicy(allowing("whitelist"), Map.of("service.id", 1L));
        assertEquals("quota", assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@example.com"))).policy());
        RelayPolicy quota = allowing("quota");
        core.bindPolicy(quota, Map.of("service.id", 2L));
        core.allocate(ChannelRequest.of("a@example.com"));
        core.unbindPolicy(quota, Map.of("service.id", 2L)); // a bundle update: the policy is away for a moment
        assertEquals("quota", assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@example.com"))).policy());
    }

    @Test
    void aPolicyThatThrowsAnErrorDeniesNamingItselfAndTheRelayGoesOn() throws Exception {
        core = Relays.start(Relays.config(23100, 23199));
        core.bindPolicy(new RelayPolicy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
                throw new NoClassDefFoundError("a class of a bundle being updated");
            }
        }, Map.of("service.id", 1L));
        RelayDeniedException e = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@example.com")));
        assertEquals("broken", e.policy());
        assertTrue(e.getMessage().contains("NoClassDefFoundError"), e.getMessage());
        assertEquals(0, core.stats().liveChannels());
    }

    @Test
    void aListenerThatThrowsIsLoggedAndCountedAndTheOthersHearEverything() throws Exception {
        core = Relays.start(Relays.config(23200, 23299));
        AtomicInteger healthy = new AtomicInteger();
        core.bindListener(new ChannelListener() {
            @Override
            public void created(RelayChannel c) {
                throw new AssertionError("a listener's bug");
            }
        });
        core.bindListener(new ChannelListener() {
            @Override
            public void created(RelayChannel c) {
                healthy.incrementAndGet();
            }
        });
        for (int i = 0; i < 5; i++) {
            core.allocate(ChannelRequest.of("u" + i + "@example.com"));
        }
        assertTrue(Relays.eventually(() -> healthy.get() == 5), "the healthy listener heard everything");
        assertTrue(Relays.eventually(() -> core.stats().listenerFailures() == 5));
    }

    @Test
    void aStuckListenerLosesOnlyItsOwnOverflowAndNobodyWaitsForIt() throws Exception {
        core = Relays.start(Relays.config(23200, 23299, "listener.queue", 5));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger healthy = new AtomicInteger();
        core.bindListener(new ChannelListener() {
            @Override
            public void created(RelayChannel c) {
                try {
                    release.await(); // stuck
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        core.bindListener(new ChannelListener() {
            @Override
            public void created(RelayChannel c) {
                healthy.incrementAndGet();
            }
        });
        for (int i = 0; i < 20; i++) {
            core.allocate(ChannelRequest.of("u" + i + "@example.com"));
            int heard = i + 1;
            assertTrue(Relays.eventually(() -> healthy.get() == heard), "the healthy listener keeps up");
        }
        // the stuck one holds 1 event in hand and 5 queued: 14 dropped
        assertEquals(14, core.stats().listenerDrops());
        release.countDown();
    }

    @Test
    void runningOutOfFileDescriptorsIsDeniedAsResourcesAndLeaksNothing() throws Exception {
        core = Relays.start(Relays.config(23300, 23399));
        int free = core.stats().portsFree();
        List<FileInputStream> hog = new ArrayList<>();
        RelayDeniedException denied;
        try {
            try {
                while (true) {
                    hog.add(new FileInputStream("/dev/null"));
                }
            } catch (IOException exhausted) {
                // every descriptor is taken
            }
            hog.remove(hog.size() - 1).close(); // one left: a socket, never a pair
            denied = assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("a@example.com")));
        } finally {
            for (FileInputStream f : hog) {
                f.close();
            }
        }
        assertEquals(RelayDeniedException.Reason.RESOURCES, denied.reason());
        assertTrue(denied.getMessage().startsWith("no file descriptors left"), denied.getMessage());
        assertEquals(free, core.stats().portsFree(), "no port was lost");
        RelayChannel ch = core.allocate(ChannelRequest.of("a@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
        }
    }

    @Test
    void statsShowTheEffectiveCapacity() throws Exception {
        core = Relays.start(Relays.config(23400, 23439, "max.channels", 100));
        assertEquals(10, core.stats().effectiveCapacity(), "40 ports hold 10 channels with RTCP");
        core.modified(Relays.typed(Relays.config(23400, 23439, "max.channels", 3)));
        assertEquals(3, core.stats().effectiveCapacity());
    }

    @Test
    void statsTimeAllocationsAndTellHowBusyEachLoopIs() throws Exception {
        core = Relays.start(Relays.config(23440, 23499, "io.threads", 2, "max.channels", 2));
        core.allocate(ChannelRequest.of("a@example.com"));
        core.allocate(ChannelRequest.of("b@example.com"));
        assertThrows(RelayDeniedException.class, () -> core.allocate(ChannelRequest.of("c@example.com")));
        relay.api.Histogram h = core.stats().allocationSeconds();
        assertEquals(3, h.count(), "answers are timed, denials too");
        assertTrue(h.sum() > 0);
        assertTrue(Relays.eventually(() -> core.stats().ioLoopBusy().size() == 2), "one figure per loop, each second");
        assertTrue(core.stats().ioLoopBusy().stream().allMatch(r -> r >= 0 && r <= 1));
    }

    /** A loop's busy ratio is its thread's CPU time: above nothing while it forwards, about nothing while it waits. */
    @Test
    void aLoopIsBusyWhileItForwardsAndIdleWhileItWaits() throws Exception {
        core = Relays.start(Relays.config(23440, 23499, "io.threads", 1));
        RelayChannel ch = core.allocate(ChannelRequest.of("a@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            long end = System.nanoTime() + 2_500_000_000L;
            double busiest = 0;
            byte[] payload = new byte[172];
            while (System.nanoTime() - end < 0) { // in step with the relay: one datagram out, one back
                a.send(ch.portA(), payload);
                b.receive(2000);
                busiest = Math.max(busiest, core.stats().ioLoopBusy().stream().mapToDouble(Double::doubleValue).max().orElse(0));
            }
            assertTrue(busiest > 0, "a loop that forwarded for 2.5 s was busy for some of it: " + busiest);
            Thread.sleep(2_200); // two whole seconds of nothing to do
            double idle = core.stats().ioLoopBusy().stream().mapToDouble(Double::doubleValue).max().orElse(1);
            assertTrue(idle < 0.05, "a waiting loop uses no CPU: " + idle);
        }
    }

    /**
     * Random sizes up to the UDP maximum, random sources: each datagram is forwarded byte-exact or dropped and
     * counted; with latch.connect, the kernel drops the stranger's before the relay sees one, so none is counted.
     */
    @ParameterizedTest(name = "latch.connect={0}")
    @ValueSource(booleans = {true, false})
    void randomDatagramsAreForwardedExactlyOrCountedNeverLostSilently(boolean connect) throws Exception {
        core = Relays.start(Relays.config(23500, 23599, "scan.guard.ports", 0, "latch.connect", connect));
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        java.util.Random random = new java.util.Random(42);
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer();
                DatagramSocket stranger = socketOn("127.0.0." + (5 + random.nextInt(200)))) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            int sent = 0;
            int foreign = 0;
            for (int i = 0; i < 200; i++) {
                int size = i % 20 == 0 ? 65_507 : random.nextInt(2000);
                byte[] data = new byte[size];
                random.nextBytes(data);
                if (random.nextInt(4) == 0) {
                    send(stranger, ch.portA(), data);
                    foreign++;
                } else {
                    a.send(ch.portA(), data);
                    sent++;
                    assertArrayEquals(data, b.receive(2000), "datagram " + i + " of " + size + " bytes");
                }
            }
            int forwarded = sent;
            int dropped = connect ? 0 : foreign;
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).orElseThrow().aToB().dropped(DropReason.FOREIGN_SOURCE) == dropped));
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).orElseThrow().aToB().packets() == forwarded),
                    "each forwarded one counted");
            RelayChannel now = core.channel(ch.id()).orElseThrow();
            assertEquals(1, now.bToA().packets());
            assertEquals(dropped, now.aToB().droppedTotal() - now.aToB().dropped(DropReason.NOT_LATCHED));
        }
    }

    private static RelayPolicy allowing(String name) {
        return new RelayPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
                return PolicyDecision.allow();
            }
        };
    }
}
