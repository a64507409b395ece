package relay.itest;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something the framework does on its own threads (Config Admin delivery, service
 * events, listener calls): polls with a generous deadline, never a fixed sleep, so a busy
 * machine makes a test slower, not red.
 */
final class Poll {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long STEP_MS = 20;

    private Poll() {
    }

    /** @return the first non-null value {@code probe} gives; fails naming {@code what} at the deadline */
    static <T> T until(String what, Supplier<T> probe) {
        return until(() -> what, probe);
    }

    /**
     * @param what says what was awaited, when the deadline has passed (so it may show the state then)
     * @return the first non-null value {@code probe} gives
     */
    static <T> T until(Supplier<String> what, Supplier<T> probe) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for " + what.get());
            }
            sleep();
        }
    }

    static void until(String what, BooleanSupplier condition) {
        until(() -> what, condition);
    }

    static void until(Supplier<String> what, BooleanSupplier condition) {
        until(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private static void sleep() {
        try {
            Thread.sleep(STEP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
