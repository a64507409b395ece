package relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether other processes compete for the CPUs, from the kernel's pressure stall information
 * ({@code /proc/pressure/cpu}: the total time some task waited for a CPU). The machine is shared:
 * the bench waits for quiet CPUs before a window and flags windows that were disturbed anyway,
 * as the shell bench does.
 */
final class CpuPressure {

    private static final Path FILE = Path.of("/proc/pressure/cpu");
    /** A window is noisy when tasks waited for a CPU during more than this share of it. */
    static final double NOISY_SHARE = 0.15;
    /** CPUs count as quiet when tasks waited less than this share of a half-second sample. */
    static final double QUIET_SHARE = 0.10;
    private static final long SAMPLE_MS = 500;

    private long waitBudgetMs;

    /** @param waitBudgetMs how long, over the whole run, the bench may wait for quiet CPUs */
    CpuPressure(long waitBudgetMs) {
        this.waitBudgetMs = waitBudgetMs;
    }

    /** Microseconds some task waited for a CPU since boot; -1 where the kernel has no PSI. */
    static long someTotalMicros() {
        try {
            return someTotalMicros(Files.readString(FILE));
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The {@code total=} of the {@code some} line of a pressure file. */
    static long someTotalMicros(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("some ")) {
                for (String field : line.split("\\s+")) {
                    if (field.startsWith("total=")) {
                        return Long.parseLong(field.substring(6));
                    }
                }
            }
        }
        throw new IllegalArgumentException("no 'some ... total=' line in: " + Json.abbreviate(text));
    }

    /**
     * Waits until a half-second sample shows quiet CPUs, within what is left of the budget.
     * Returns the milliseconds waited.
     */
    long awaitQuiet() {
        long waited = 0;
        while (true) {
            long a = someTotalMicros();
            if (a < 0) {
                return waited;
            }
            sleep(SAMPLE_MS);
            long b = someTotalMicros();
            if (b - a < QUIET_SHARE * SAMPLE_MS * 1000 || waitBudgetMs <= 0) {
                return waited;
            }
            waitBudgetMs -= SAMPLE_MS;
            waited += SAMPLE_MS;
        }
    }

    static boolean noisy(double stallMs, double windowSeconds) {
        return stallMs > NOISY_SHARE * windowSeconds * 1000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
