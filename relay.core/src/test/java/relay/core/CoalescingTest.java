package relay.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.testing.UdpPeer;

/**
 * Wake-up coalescing ({@code io.coalesce.us}): under load the loop wakes once per window instead of once per
 * datagram, forwarding everything in order; a light load, or none, never makes it pause.
 */
class CoalescingTest {

    /** Datagrams of a paced run, and the gap between two of them: 5,000 a second, a loaded loop's pace. */
    private static final int DATAGRAMS = 300;
    private static final long GAP_NANOS = 200_000;

    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
    }

    @Test
    void aLoadedLoopWakesOncePerWindowAndForwardsEverythingInOrder() throws Exception {
        core = start(1000);
        RelayChannel ch = core.allocate(ChannelRequest.of("alice@example.com").withRtcpMux(true));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            warmUp(a, ch.portA(), b);
            IoLoop.Rounds before = core.ioLoopRounds();
            sendPaced(a, ch.portA());
            for (int i = 0; i < DATAGRAMS; i++) {
                assertArrayEquals(datagram(i), b.receive(2000), "datagram " + i + " intact and in order");
            }
            IoLoop.Rounds after = core.ioLoopRounds();
            int rounds = after.all() - before.all();
            // 60 ms of traffic at one wake-up per 1 ms window is about 60 rounds; one per datagram would be 300
            assertTrue(rounds < DATAGRAMS / 3, rounds + " rounds for " + DATAGRAMS + " datagrams");
            assertTrue(after.coalesced() - before.coalesced() > 0, "rounds after a pause: " + before + " -> " + after);
        }
    }

    @Test
    void turnedOffAtOnceTheLoopNeverPauses() throws Exception {
        core = start(1000);
        core.modified(Relays.typed(config(0)));
        RelayChannel ch = core.allocate(ChannelRequest.of("bob@example.com").withRtcpMux(true));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            warmUp(a, ch.portA(), b);
            IoLoop.Rounds before = core.ioLoopRounds();
            sendPaced(a, ch.portA());
            for (int i = 0; i < DATAGRAMS; i++) {
                assertArrayEquals(datagram(i), b.receive(2000), "datagram " + i);
            }
            IoLoop.Rounds after = core.ioLoopRounds();
            assertEquals(before.coalesced(), after.coalesced(), "no pause once turned off: " + before + " -> " + after);
        }
    }

    @Test
    void aLightLoadIsNeverDelayedAndAnIdleLoopBlocks() throws Exception {
        core = start(1000);
        RelayChannel ch = core.allocate(ChannelRequest.of("carol@example.com").withRtcpMux(true));
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, ch.portA(), b, ch.portB());
            Thread.sleep(50);
            IoLoop.Rounds before = core.ioLoopRounds();
            for (int i = 0; i < 20; i++) { // 5 ms apart, as a few calls' packets: slower than one per window
                a.send(ch.portA(), datagram(i));
                assertArrayEquals(datagram(i), b.receive(2000));
                Thread.sleep(5);
            }
            assertEquals(before.coalesced(), core.ioLoopRounds().coalesced(), "no pause for a light load");

            sendPaced(a, ch.portA()); // a loaded burst, then silence
            for (int i = 0; i < DATAGRAMS; i++) {
                assertArrayEquals(datagram(i), b.receive(2000));
            }
            Thread.sleep(50);
            IoLoop.Rounds quiet = core.ioLoopRounds();
            Thread.sleep(300);
            IoLoop.Rounds later = core.ioLoopRounds();
            // the first reading wakes the loop once; a loop still pausing would run a round per millisecond
            assertTrue(later.all() - quiet.all() <= 2, "rounds while nothing came: " + quiet + " -> " + later);
        }
    }

    @Test
    void aWindowOutsideZeroToOneMillisecondIsRefusedNamingTheKey() {
        for (int bad : new int[] {-1, 1001}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Relays.parse(config(bad)));
            assertTrue(e.getMessage().contains("io.coalesce.us"), e.getMessage());
        }
        assertEquals(100, Relays.parse(Relays.config(21512, 21519)).coalesceMicros(), "the default");
    }

    private static RelayCore start(int micros) {
        return Relays.start(config(micros));
    }

    private static Map<String, Object> config(int micros) {
        return Relays.config(21512, 21519, "io.threads", 1, "io.coalesce.us", micros);
    }

    /** A first run, so that neither the sender nor the loop is slow with code not yet compiled. */
    private static void warmUp(UdpPeer a, int port, UdpPeer b) throws Exception {
        sendPaced(a, port);
        for (int i = 0; i < DATAGRAMS; i++) {
            b.receive(2000);
        }
    }

    /** Sends the run's datagrams {@link #GAP_NANOS} apart, spinning between them for an even pace. */
    private static void sendPaced(UdpPeer a, int port) throws Exception {
        long next = System.nanoTime();
        for (int i = 0; i < DATAGRAMS; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            a.send(port, datagram(i));
            next += GAP_NANOS;
        }
        LockSupport.parkNanos(1_000_000);
    }

    private static byte[] datagram(int sequence) {
        return ByteBuffer.allocate(160).putInt(sequence).putInt(~sequence).array();
    }
}
