package relay.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Destroys channels that received nothing for the idle timeout. It reads the timeout on every
 * sweep, so a new {@code idle.timeout} applies to live channels at once.
 */
final class TimeoutMonitor {

    /** What the monitor sweeps: destroy every channel idle since before {@code deadlineNanos}. */
    interface Sweep {
        void expireIdleSince(long deadlineNanos);
    }

    private final ScheduledExecutorService timer;

    TimeoutMonitor(LongSupplier idleTimeoutNanos, Sweep sweep, Log log) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-timeout-monitor");
            t.setDaemon(true);
            return t;
        });
        // a sweep costs microseconds per thousand channels; 4 per second keep expiry prompt
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep.expireIdleSince(System.nanoTime() - idleTimeoutNanos.getAsLong());
            } catch (RuntimeException e) {
                log.error("timeout sweep failed", e);
            }
        }, 250, 250, TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
