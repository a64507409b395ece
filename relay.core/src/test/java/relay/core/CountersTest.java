package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import relay.api.DropReason;
import relay.api.Traffic;

class CountersTest {

    @Test
    void aSideThatNeverDroppedReportsNoDropsAndItsForwardedFigures() {
        Counters c = new Counters();
        c.forwarded(172);
        c.forwarded(0);
        c.forwarded(65507);
        Traffic t = c.snapshot();
        assertEquals(3, t.packets());
        assertEquals(172 + 65507, t.bytes());
        assertEquals(Map.of(), t.dropped());
        assertEquals(3, c.packets());
    }

    @Test
    void everyReasonIsCountedApartFromTheFirstDropOn() {
        Counters c = new Counters();
        DropReason[] reasons = DropReason.values();
        for (int i = 0; i < reasons.length; i++) {
            for (int n = 0; n <= i; n++) {
                c.dropped(reasons[i]);
            }
        }
        c.forwarded(10);
        Traffic t = c.snapshot();
        for (int i = 0; i < reasons.length; i++) {
            assertEquals(i + 1, t.dropped(reasons[i]), reasons[i].name());
        }
        assertEquals(1, t.packets());
        assertEquals(10, t.bytes());
    }

    /** The owner thread writes, another reads while it does: every figure it sees is one the owner wrote. */
    @Test
    void aReaderOnAnotherThreadSeesTheOwnersCountsGrowAndArrive() throws Exception {
        Counters c = new Counters();
        int rounds = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                c.forwarded(2);
                if (i % 1000 == 999) {
                    c.dropped(DropReason.FOREIGN_SOURCE);
                }
            }
        }, "counters-owner");
        owner.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        owner.start();
        long lastPackets = 0;
        long lastDrops = 0;
        while (owner.isAlive()) {
            Traffic t = c.snapshot();
            assertTrue(t.packets() >= lastPackets, "packets never go back");
            assertTrue(t.bytes() <= 2 * (long) rounds && t.bytes() % 2 == 0, "bytes " + t.bytes());
            long drops = t.dropped(DropReason.FOREIGN_SOURCE);
            assertTrue(drops >= lastDrops, "drops never go back");
            lastPackets = t.packets();
            lastDrops = drops;
        }
        owner.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(null, failure.get());
        Traffic t = c.snapshot();
        assertEquals(rounds, t.packets());
        assertEquals(2L * rounds, t.bytes());
        assertEquals(rounds / 1000, t.dropped(DropReason.FOREIGN_SOURCE));
    }
}
