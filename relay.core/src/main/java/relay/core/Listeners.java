package relay.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.api.spi.ChannelListener;

/**
 * The {@link ChannelListener} whiteboard: every event goes to every listener on one event
 * thread, so the order per channel is kept and no forwarding or requesting thread waits for a
 * listener. Only the conductor posts events, so for each channel {@code created} comes first,
 * then its latches, then {@code destroyed}.
 */
final class Listeners {

    private final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final Log log;

    Listeners(String threadName, Log log) {
        this.log = log;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    void add(ChannelListener l) {
        listeners.add(l);
    }

    void remove(ChannelListener l) {
        listeners.remove(l);
    }

    void created(RelayChannel channel) {
        fire(l -> l.created(channel));
    }

    void latched(RelayChannel channel, Side side) {
        fire(l -> l.latched(channel, side));
    }

    void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
        fire(l -> l.destroyed(channel, reason, duration));
    }

    /** Delivers what is queued, then ends the event thread (bounded wait). */
    void close() throws InterruptedException {
        events.shutdown();
        if (!events.awaitTermination(10, TimeUnit.SECONDS)) {
            events.shutdownNow();
        }
    }

    boolean isTerminated() {
        return events.isTerminated();
    }

    private void fire(Consumer<ChannelListener> event) {
        post(() -> each(event));
    }

    private void post(Runnable r) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            // stopped: nobody is listening any more
        }
    }

    private void each(Consumer<ChannelListener> event) {
        for (ChannelListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.error("channel listener " + l.getClass().getName() + " failed", e);
            }
        }
    }
}
