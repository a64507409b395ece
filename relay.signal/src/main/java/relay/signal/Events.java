package relay.signal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import relay.signal.api.SignalListener;

/**
 * Tells the {@link SignalListener} services what happened, on one thread of its own, in the order
 * the hub saw it; the queue is bounded (a listener that blocks loses events, counted, never the
 * hub's time).
 */
final class Events {

    static final int QUEUE = 10_000;

    private final List<SignalListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor thread;
    private final Consumer<String> warn;
    final LongAdder dropped = new LongAdder();

    Events(Consumer<String> warn) {
        this.warn = warn;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "relay-signal-events");
                    t.setDaemon(true);
                    return t;
                }, (r, e) -> dropped.increment());
    }

    void add(SignalListener l) {
        listeners.add(l);
    }

    void remove(SignalListener l) {
        listeners.remove(l);
    }

    void fire(Consumer<SignalListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            for (SignalListener l : listeners) {
                try {
                    event.accept(l);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    warn.accept("a SignalListener (" + l.getClass().getName() + ") threw " + e);
                }
            }
        });
    }

    void stop() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
