package relay.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for what other threads do (an I/O loop, Config Admin delivery, service events, listener
 * calls): polls with a generous deadline, never a fixed sleep, so a busy machine makes a test
 * slower, not red.
 */
public final class Poll {

    /** How long any wait lasts at the most. */
    public static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long STEP_MS = 20;

    private Poll() {
    }

    /**
     * @return whether {@code condition} held within the deadline (it is asked once more at the end)
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(STEP_MS);
        }
        return condition.getAsBoolean();
    }

    /** @return the first non-null value {@code probe} gives; fails naming {@code what} at the deadline */
    public static <T> T until(String what, Supplier<T> probe) {
        return until(() -> what, probe);
    }

    /**
     * @param what says what was awaited, when the deadline has passed (so it may show the state then)
     * @return the first non-null value {@code probe} gives
     */
    public static <T> T until(Supplier<String> what, Supplier<T> probe) {
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

    /** Returns once {@code condition} holds; fails naming {@code what} at the deadline. */
    public static void until(String what, BooleanSupplier condition) {
        until(() -> what, condition);
    }

    /** Returns once {@code condition} holds; fails with what {@code what} says at the deadline. */
    public static void until(Supplier<String> what, BooleanSupplier condition) {
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
