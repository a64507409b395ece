package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void cpuTicksAreUtimePlusStime() {
        String line = "4242 (java) S 1 4242 4242 0 -1 4194560 25000 0 3 0 1500 250 0 0 20 0 31 0 12345 "
                + "3000000000 20000 18446744073709551615 1 1 0 0 0 0 0 16781312 17612 0 0 0 17 1 0 0 0 0 0";
        assertEquals(1750, ProcessStats.cpuTicks(line));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String line = "77 (a) b (c d) R 1 77 77 0 -1 0 0 0 0 0 11 22 0 0 20 0 1 0 5 100 10 0";
        assertEquals(33, ProcessStats.cpuTicks(line));
    }

    @Test
    void malformedStatLinesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessStats.cpuTicks("garbage"));
        assertTrue(e.getMessage().contains("stat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessStats.cpuTicks("1 (x) S 1 2 3"));
        assertThrows(IllegalArgumentException.class,
                () -> ProcessStats.cpuTicks("1 (x) S 1 1 1 0 -1 0 0 0 0 0 ab cd 0 0 20 0 1 0 5"));
    }

    @Test
    void rssComesFromTheVmRssLine() {
        String status = "Name:\tjava\nVmPeak:\t  500000 kB\nVmRSS:\t   81234 kB\nThreads:\t31\n";
        assertEquals(81_234, ProcessStats.statusKb(status, "VmRSS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessStats.statusKb("Name:\tkthreadd\n", "VmRSS"));
        assertTrue(e.getMessage().contains("VmRSS"), e.getMessage());
    }

    @Test
    void thisProcessCanBeMeasured() {
        double before = ProcessStats.cpuSeconds(SELF);
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += i ^ (x >>> 3);
        }
        double after = ProcessStats.cpuSeconds(SELF);
        assertTrue(x != 42 && after >= before, "CPU time never runs backwards: " + before + " -> " + after);
        assertTrue(ProcessStats.rssKb(SELF) > 1000, "a JVM has more than 1 MB resident");
        assertTrue(ProcessStats.threads(SELF) >= 2);
        assertTrue(ProcessStats.openFiles(SELF) >= 3);
        assertTrue(ProcessStats.alive(SELF));
        assertTrue(ProcessStats.clockTicksPerSecond() >= 100);
    }

    @Test
    void schedstatGivesCpuTimeAndRunDelay() {
        long[] s = ProcessStats.schedstat("8212345678 97174 1234\n");
        assertEquals(8_212_345_678L, s[0]);
        assertEquals(97_174L, s[1]);
        assertThrows(IllegalArgumentException.class, () -> ProcessStats.schedstat("12"));
        assertThrows(IllegalArgumentException.class, () -> ProcessStats.schedstat("a b c"));
        assertTrue(ProcessStats.runDelayNanos(SELF) >= 0, "Linux keeps schedstat");
        long[] self = ProcessStats.threadSelfSchedstat();
        assertTrue(self != null && self[0] > 0, "this thread has run");
        assertEquals(-1, ProcessStats.runDelayNanos(Long.MAX_VALUE), "no such process");
    }

    @Test
    void aProcessThatIsGoneIsNamedInTheError() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessStats.alive(pid));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessStats.cpuSeconds(pid));
        assertTrue(e.getMessage().contains(Long.toString(pid)), e.getMessage());
    }
}
