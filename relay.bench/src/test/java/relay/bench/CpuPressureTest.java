package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuPressureTest {

    @Test
    void readsTheSomeTotal() {
        String psi = "some avg10=40.41 avg60=50.41 avg300=49.55 total=359114983\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
        assertEquals(359_114_983L, CpuPressure.someTotalMicros(psi));
        assertThrows(IllegalArgumentException.class, () -> CpuPressure.someTotalMicros("full avg10=0 total=5\n"));
    }

    @Test
    void aWindowIsNoisyWhenTasksWaitedMoreThanFifteenPercentOfIt() {
        assertFalse(CpuPressure.noisy(700, 5));
        assertTrue(CpuPressure.noisy(800, 5));
    }

    @Test
    void theStallTheBenchCausesItselfDoesNotMakeAWindowNoisy() {
        Window w = new Window(1, 1000);
        assertTrue(new Measurement(w, 5, 1, 1, -1, 2000, 0, 0, 0, Double.NaN, 0, Double.NaN).noisy());
        assertFalse(new Measurement(w, 5, 1, 1, -1, 2000, 0, 0, 0, Double.NaN, 1500, Double.NaN).noisy(),
                "the flood's thread was runnable 1.5 s of the 2 s");
        assertTrue(new Measurement(w, 5, 1, 1, -1, 2000, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN).noisy(),
                "nothing known of the bench's own share");
    }

    @Test
    void waitingEndsWhenTheBudgetIsSpent() {
        long t0 = System.nanoTime();
        long waited = new CpuPressure(0).awaitQuiet();
        assertEquals(0, waited, "no budget: one sample, no waiting");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }
}
