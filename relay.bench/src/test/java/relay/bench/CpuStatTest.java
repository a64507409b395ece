package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuStatTest {

    private static final String STAT = """
            cpu  493500 0 113385 601831 1199 0 15464 5622 0 0
            cpu0 245795 0 60930 297434 287 0 10701 2521 0 0
            cpu1 247704 7 52455 304397 912 3 4762 3101 0 0
            intr 12345 0 0
            ctxt 987654
            """;

    @Test
    void busyIsEverythingButIdleAndIowait() {
        assertEquals(245_795 + 60_930 + 10_701 + 2_521, CpuStat.busyTicks(STAT, Set.of(0)));
        assertEquals(247_704 + 7 + 52_455 + 3 + 4_762 + 3_101, CpuStat.busyTicks(STAT, Set.of(1)));
        assertEquals(CpuStat.busyTicks(STAT, Set.of(0)) + CpuStat.busyTicks(STAT, Set.of(1)),
                CpuStat.busyTicks(STAT, Set.of(0, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuStat.busyTicks(STAT, Set.of(2)));
        assertTrue(e.getMessage().contains("CPU 2"), e.getMessage());
    }

    @Test
    void cpuListsAreTasksetLists() {
        assertEquals(Set.of(1), CpuStat.cpus("1"));
        assertEquals(Set.of(0, 2, 3), CpuStat.cpus("0,2-3"));
        assertThrows(IllegalArgumentException.class, () -> CpuStat.cpus("3-1"));
    }

    @Test
    void thisMachineHasACpuZero() {
        double a = CpuStat.busySeconds(Set.of(0));
        assertTrue(a > 0, "busy since boot: " + a);
        assertTrue(Double.isNaN(CpuStat.busySeconds(Set.of(100_000))));
    }

    @Test
    void otherProcessesOnThePinnedCpusMakeAWindowNoisy() {
        Window w = new Window(1, 1000);
        assertFalse(new Measurement(w, 5, 1, 1, -1, 4000, 0, 0, 0, Double.NaN, 0, 250).noisy(),
                "250 ms of 5 s taken by others, whatever the pressure says");
        assertTrue(new Measurement(w, 5, 1, 1, -1, 0, 0, 0, 0, Double.NaN, 0, 260).noisy());
    }
}
