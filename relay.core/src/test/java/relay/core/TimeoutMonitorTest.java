package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.spi.ChannelListener;

class TimeoutMonitorTest {

    private RelayCore core;
    private final Map<String, DestroyReason> destroyed = new ConcurrentHashMap<>();

    private void start(int idleSeconds) {
        core = Relays.start(Relays.config(21400, 21499, "idle.timeout", idleSeconds));
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
        assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()));
        assertTrue(Relays.eventually(() -> destroyed.get(ch.id()) == DestroyReason.EXPIRED));
        assertEquals(1L, core.stats().destroyed().get(DestroyReason.EXPIRED));
        assertEquals(core.stats().portsTotal(), core.stats().portsFree(), "its ports went back to the pool");
    }

    @Test
    void keepsABusyChannelAndExpiresItOnceIdle() throws Exception {
        start(1);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        try (UdpPeer a = new UdpPeer()) {
            long until = System.nanoTime() + 2_500_000_000L;
            while (System.nanoTime() < until) { // traffic on one side only still counts as activity
                a.send(ch.portA(), new byte[] {1});
                Thread.sleep(100);
            }
            assertTrue(core.channel(ch.id()).isPresent(), "alive while it receives");
            long quietSince = System.nanoTime();
            assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()));
            assertTrue(System.nanoTime() - quietSince >= 900_000_000L, "not before the timeout");
            assertEquals(DestroyReason.EXPIRED, destroyed.get(ch.id()));
        }
    }

    @Test
    void aNewIdleTimeoutAppliesToLiveChannelsAtOnce() throws Exception {
        start(3600);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com"));
        Thread.sleep(1200);
        assertTrue(core.channel(ch.id()).isPresent());
        Map<String, Object> cfg = Relays.config(21400, 21499, "idle.timeout", 1);
        core.modified(cfg);
        assertTrue(Relays.eventually(() -> core.channel(ch.id()).isEmpty()), "the live channel expired under the new timeout");
        assertEquals(DestroyReason.EXPIRED, destroyed.get(ch.id()));
    }
}
