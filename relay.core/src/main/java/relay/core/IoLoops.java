package relay.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The I/O loops and how many channels each one serves. Owned by the conductor: a new channel
 * goes to the loop with the fewest; a loop that died is replaced in its slot.
 */
final class IoLoops {

    private final IoEngine engine;
    private final IoLoop.Events events;
    private final NanoClock clock;
    private final ScanGuard scanGuard;
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<Integer> load = new ArrayList<>();
    /** Replaced on every change, for readers on other threads. */
    private volatile List<Thread> threads = List.of();
    private int started;
    private long coalesceNanos;

    IoLoops(IoEngine engine, int count, long coalesceNanos, IoLoop.Events events, NanoClock clock, ScanGuard scanGuard) throws IOException {
        this.engine = engine;
        this.coalesceNanos = coalesceNanos;
        this.events = events;
        this.clock = clock;
        this.scanGuard = scanGuard;
        try {
            for (int i = 0; i < count; i++) {
                loops.add(newLoop());
                load.add(0);
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
        loops.forEach(IoLoop::start);
        publish();
    }

    /** What the sockets of these loops' channels must be made with, as the loops' pollers are. */
    IoEngine engine() {
        return engine;
    }

    IoLoop pick() {
        int best = 0;
        for (int i = 1; i < loops.size(); i++) {
            if (load.get(i) < load.get(best)) {
                best = i;
            }
        }
        load.set(best, load.get(best) + 1);
        return loops.get(best);
    }

    /** A channel of {@code loop} is gone. */
    void release(IoLoop loop) {
        int i = loops.indexOf(loop);
        if (i >= 0) {
            load.set(i, load.get(i) - 1);
        }
    }

    boolean contains(IoLoop loop) {
        return loops.contains(loop);
    }

    IoLoop get(int index) {
        return loops.get(index);
    }

    List<IoLoop> all() {
        return List.copyOf(loops);
    }

    int size() {
        return loops.size();
    }

    /**
     * Puts a new loop in the place of a dead one; its channels are gone with it.
     *
     * @throws IOException if no new poller can be opened: the slot is dropped
     */
    void replace(IoLoop dead) throws IOException {
        int i = loops.indexOf(dead);
        try {
            IoLoop fresh = newLoop();
            loops.set(i, fresh);
            load.set(i, 0);
            fresh.start();
        } catch (IOException e) {
            loops.remove(i);
            load.remove(i);
            throw e;
        } finally {
            publish();
        }
    }

    /** Sets every loop's wake-up coalescing window, and that of loops started later. */
    void coalesce(long nanos) {
        if (nanos != coalesceNanos) {
            coalesceNanos = nanos;
            loops.forEach(loop -> loop.coalesce(nanos));
        }
    }

    /** Asks every loop to end; none waits. */
    void stop() {
        loops.forEach(IoLoop::stop);
    }

    /** The threads, for tests that check nothing survives a stop; any thread. */
    List<Thread> threads() {
        return threads;
    }

    private IoLoop newLoop() throws IOException {
        return new IoLoop("relay-io-" + started++, engine, events, clock, scanGuard, coalesceNanos);
    }

    private void publish() {
        threads = loops.stream().map(IoLoop::thread).toList();
    }
}
