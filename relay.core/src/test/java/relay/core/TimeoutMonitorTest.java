package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.RelayChannel;
import relay.api.spi.ChannelListener;
import relay.testing.UdpPeer;

/** The idle sweep, on a clock of the test's own: nothing here waits for the timeout in wall time. */
class TimeoutMonitorTest {

    private final ManualClock clock = new ManualClock();
    private RelayCore core;
    private final Map<String, DestroyReason> destroyed = new ConcurrentHashMap<>();

    private void start(int idleSeconds, Object... more) {
        Map<String, Object> cfg = Relays.config(21400, 21499, more);
        cfg.put("idle.timeout", idleSeconds);
        core = Relays.start(cfg, clock);
        core.bindListener(new ChannelListener() {
            @Override
            public void destroyed(RelayChannel c, DestroyReason reason, Duration d) {
                destroyed.put(c.id(), reason);
            }
        });
    }

    @AfterEach
    void stop() {
        core.deactivate();
    }

    @Test
    void expiresANeverUsedChannelCountingFromCreation() throws Exception {
        start(1);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        assertEquals(1, ch.expire());
        clock.advance(Duration.ofMillis(1100));
        assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()));
        assertTrue(Relays.eventually(() -> destroyed.get(ch.id()) == DestroyReason.EXPIRED));
        assertEquals(1L, core.stats().destroyed().get(DestroyReason.EXPIRED));
        assertEquals(core.stats().portsTotal(), core.stats().portsFree(), "its ports went back to the pool");
    }

    @Test
    void keepsABusyChannelAndExpiresItOnceIdle() throws Exception {
        start(1);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            for (int i = 1; i <= 5; i++) { // traffic in one direction only still counts as activity
                clock.advance(Duration.ofMillis(500));
                a.send(ch.portA(), new byte[] {1});
                assertArrayEquals(new byte[] {1}, b.receive(2000), "datagram " + i + " forwarded");
                // the loop reads the clock once per wake-up: let it go back to its selector before time moves on
                Thread.sleep(20);
            }
            Thread.sleep(600); // two sweeps: 2.5 s of relay time have passed, never 1 s in silence
            assertTrue(core.channel(ch.id()).isPresent(), "alive while it forwards");
            clock.advance(Duration.ofMillis(900));
            Thread.sleep(600);
            assertTrue(core.channel(ch.id()).isPresent(), "not before the timeout");
            clock.advance(Duration.ofMillis(200));
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()));
            assertTrue(Relays.eventually(() -> destroyed.get(ch.id()) == DestroyReason.EXPIRED));
        }
    }

    /** One spoofed datagram every few seconds must not keep a channel, its ports and its user's quota for ever. */
    @Test
    void droppedDatagramsDoNotKeepAChannelAlive() throws Exception {
        // the relay's own drop of a foreign source; connected, the kernel would drop it before the relay saw it
        start(1, "latch.connect", false);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer(); UdpPeer intruder = new UdpPeer()) {
            a.send(ch.portA(), new byte[] {1}); // latches A: activity; B never comes, so nothing is forwarded
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).orElseThrow().sideA().latched()));
            for (int i = 1; i <= 3; i++) {
                clock.advance(Duration.ofMillis(400));
                intruder.send(ch.portA(), new byte[] {66}); // foreign source: dropped
                a.send(ch.portA(), new byte[] {2}); // the latched peer, but the far side is not latched: dropped
                long n = i;
                assertTrue(Relays.eventually(() -> core.channel(ch.id()).map(c -> c.aToB().dropped(DropReason.FOREIGN_SOURCE))
                        .orElse(n) == n));
            }
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()), "1.2 s after its latch, dropped traffic or not");
            assertTrue(Relays.eventually(() -> destroyed.get(ch.id()) == DestroyReason.EXPIRED));
        }
    }

    @Test
    void aNewIdleTimeoutAppliesToLiveChannelsAtOnce() throws Exception {
        start(3600);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        clock.advance(Duration.ofMillis(1200));
        Thread.sleep(300);
        assertTrue(core.channel(ch.id()).isPresent());
        Map<String, Object> cfg = Relays.config(21400, 21499, "idle.timeout", 1);
        core.modified(Relays.typed(cfg));
        assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()), "the live channel expired under the new timeout");
        assertTrue(Relays.eventually(() -> destroyed.get(ch.id()) == DestroyReason.EXPIRED));
    }
}
