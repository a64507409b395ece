package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import relay.api.ChannelRequest;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;
import relay.testing.UdpPeer;

/** Per-side caps: {@code max.kbps}, {@code max.pps}, and a policy's lower ones. */
class RateLimitTest {

    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    void theAlgorithmAdmitsTheRateAndOneSecondOfBurst() {
        RateLimit limit = new RateLimit();
        limit.set(0, 100);
        long now = 0;
        int admitted = 0;
        for (int i = 0; i < 1000; i++) { // 400 datagrams/s for 2.5 s
            admitted += limit.admit(100, now) ? 1 : 0;
            now += 2_500_000;
        }
        assertEquals(100 * 2.5 + 100, admitted, 2, "the rate, plus one second's burst");
        limit.set(80, 0); // 80 kbit/s = 10,000 B/s: 100 datagrams of 100 B per second
        admitted = 0;
        for (int i = 0; i < 1000; i++) {
            admitted += limit.admit(100, now) ? 1 : 0;
            now += 2_500_000;
        }
        assertEquals(100 * 2.5 + 100, admitted, 3);
    }

    /**
     * 800 datagrams a second against a cap of 200 a second, or of 64 kbit/s with 40-byte
     * datagrams (256 kbit/s offered): four times the cap either way, held to 200 a second.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"max.pps, 200, 4", "max.kbps, 64, 40"})
    void aFlowAtFourTimesTheCapIsHeldToItWhileAnotherChannelOnTheLoopLosesNothing(String key, int cap, int size)
            throws Exception {
        core = Relays.start(Relays.config(23600, 23699, "io.threads", 1, key, cap));
        RelayChannel capped = core.allocate(ChannelRequest.of("alice@example.com"));
        RelayChannel other = core.allocate(ChannelRequest.of("bob@example.com"));
        assertEquals(cap, key.equals("max.pps") ? capped.maxPps() : capped.maxKbps());
        byte[] datagram = new byte[size];
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer(); UdpPeer c = new UdpPeer(); UdpPeer d = new UdpPeer()) {
            ForwardingTest.latch(a, capped.portA(), b, capped.portB());
            ForwardingTest.latch(c, other.portA(), d, other.portB());
            long start = System.nanoTime();
            long windowFrom = start + TimeUnit.SECONDS.toNanos(1); // after the one-second burst
            long windowTo = windowFrom + TimeUnit.SECONDS.toNanos(5);
            AtomicInteger inWindow = new AtomicInteger();
            AtomicInteger otherReceived = new AtomicInteger();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread receiver = new Thread(() -> {
                try {
                    while (sending.get()) {
                        byte[] got = b.receive(200);
                        long t = System.nanoTime();
                        if (got != null && t >= windowFrom && t < windowTo) {
                            inWindow.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread otherReceiver = new Thread(() -> {
                try {
                    while (sending.get() || otherReceived.get() < 300) {
                        if (d.receive(500) != null) {
                            otherReceived.incrementAndGet();
                        } else if (!sending.get()) {
                            return;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            receiver.start();
            otherReceiver.start();
            int otherSent = 0;
            long next = start;
            for (int i = 0; System.nanoTime() < windowTo + 100_000_000L; i++) { // 800/s, the other 50/s
                a.send(capped.portA(), datagram);
                if (i % 16 == 0) {
                    c.send(other.portA(), new byte[] {5});
                    otherSent++;
                }
                next += 1_250_000;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            Thread.sleep(300);
            sending.set(false);
            receiver.join();
            otherReceiver.join();
            int held = inWindow.get();
            System.out.printf("%s=%d at four times the cap: %d datagrams in the 5 s window (1000 is the cap)%n", key, cap, held);
            assertTrue(Math.abs(held - 1000) <= 50, held + " datagrams in 5 s at " + key + "=" + cap);
            assertEquals(otherSent, otherReceived.get(), "the other channel lost nothing");
            assertTrue(core.channel(capped.id()).orElseThrow().aToB().dropped(DropReason.RATE_LIMITED) > 2000);
            assertEquals(0, core.channel(other.id()).orElseThrow().aToB().dropped(DropReason.RATE_LIMITED));
        }
    }

    @Test
    void aPolicyMayLowerTheCapAndANewConfigurationAppliesToLiveChannelsAtOnce() throws Exception {
        core = Relays.start(Relays.config(23700, 23799, "max.kbps", 512));
        core.bindPolicy(new RelayPolicy() {
            @Override
            public String name() {
                return "tiers";
            }

            @Override
            public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
                return request.user().domain().equals("free.example") ? PolicyDecision.allow(64, 50) : PolicyDecision.allow();
            }
        }, Map.of("service.id", 1L));
        RelayChannel free = core.allocate(ChannelRequest.of("a@free.example"));
        RelayChannel paid = core.allocate(ChannelRequest.of("b@paid.example"));
        assertEquals(64, free.maxKbps());
        assertEquals(50, free.maxPps());
        assertEquals(512, paid.maxKbps());
        assertEquals(0, paid.maxPps());

        core.modified(Relays.typed(Relays.config(23700, 23799, "max.kbps", 32)));
        assertTrue(Relays.eventually(() -> core.channel(free.id()).orElseThrow().maxKbps() == 32));
        assertTrue(Relays.eventually(() -> core.channel(paid.id()).orElseThrow().maxKbps() == 32));
        core.modified(Relays.typed(Relays.config(23700, 23799)));
        assertTrue(Relays.eventually(() -> core.channel(paid.id()).orElseThrow().maxKbps() == 0), "no cap any more");
        // each loop applies the new caps to its own channels: the other loop may be a moment later
        assertTrue(Relays.eventually(() -> core.channel(free.id()).orElseThrow().maxKbps() == 64), "the policy's cap stays");
    }
}
