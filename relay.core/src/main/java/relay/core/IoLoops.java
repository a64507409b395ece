package relay.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The I/O loops of the relay; a new channel goes to the loop with the fewest channels. */
final class IoLoops {

    private final List<IoLoop> loops = new ArrayList<>();

    IoLoops(int threads, IoLoop.Events events) throws IOException {
        try {
            for (int i = 0; i < threads; i++) {
                loops.add(new IoLoop("relay-io-" + i, events));
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
        loops.forEach(IoLoop::start);
    }

    IoLoop pick() {
        IoLoop best = loops.get(0);
        for (IoLoop l : loops) {
            if (l.channelCount() < best.channelCount()) {
                best = l;
            }
        }
        return best;
    }

    int size() {
        return loops.size();
    }

    void stop() {
        for (IoLoop l : loops) {
            try {
                l.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<Thread> threads() {
        return loops.stream().map(IoLoop::thread).toList();
    }
}
