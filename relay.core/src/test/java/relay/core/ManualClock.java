package relay.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A relay clock that moves only when a test says so. */
final class ManualClock implements NanoClock {

    private final AtomicLong now = new AtomicLong(System.nanoTime());

    @Override
    public long nanoTime() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
