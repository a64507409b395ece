package relay.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.api.spi.ChannelListener;

/**
 * The {@link ChannelListener} whiteboard. Each listener has its own bounded queue and thread, so
 * a slow or stuck listener delays nobody, not even the other listeners; what it cannot take is
 * dropped, counted and logged once a minute. Only the conductor posts events, so each listener
 * hears, per channel, {@code created} first, then the latches, then {@code destroyed}.
 */
final class Listeners {

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Log log;
    private final String threadName;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile int capacity = 10_000;
    private volatile boolean closed;

    Listeners(String threadName, Log log) {
        this.threadName = threadName;
        this.log = log;
    }

    void add(ChannelListener l) {
        if (closed) {
            return;
        }
        Delivery d = new Delivery(l, threadName + "-" + threads.getAndIncrement());
        deliveries.add(d);
        d.thread.start();
    }

    void remove(ChannelListener l) {
        for (Delivery d : deliveries) {
            if (d.listener == l) {
                deliveries.remove(d);
                d.stop(false); // the service is going: what it has not taken is moot
            }
        }
    }

    /** Applies at once; a queue longer than the new bound keeps its events. */
    void capacity(int events) {
        capacity = events;
    }

    long dropped() {
        return dropped.sum();
    }

    long failed() {
        return failed.sum();
    }

    void created(RelayChannel channel) {
        post(l -> l.created(channel));
    }

    void latched(RelayChannel channel, Side side) {
        post(l -> l.latched(channel, side));
    }

    void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
        post(l -> l.destroyed(channel, reason, duration));
    }

    /** Delivers what is queued, then ends every listener thread (bounded wait each). */
    void close() throws InterruptedException {
        closed = true;
        for (Delivery d : deliveries) {
            d.stop(true);
        }
        for (Delivery d : deliveries) {
            d.thread.join(10_000);
        }
        deliveries.clear();
    }

    private void post(Consumer<ChannelListener> event) {
        for (Delivery d : deliveries) {
            d.offer(event);
        }
    }

    /** One listener: its queue and the thread that empties it. */
    private final class Delivery implements Runnable {
        final ChannelListener listener;
        final Thread thread;
        final LinkedBlockingQueue<Consumer<ChannelListener>> queue = new LinkedBlockingQueue<>();
        final AtomicInteger queued = new AtomicInteger();
        volatile boolean running = true;
        volatile boolean drain = true;
        long droppedSinceLog;
        long lastLogNanos = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);

        Delivery(ChannelListener listener, String name) {
            this.listener = listener;
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
        }

        /** Conductor thread. */
        void offer(Consumer<ChannelListener> event) {
            if (queued.incrementAndGet() > capacity) {
                queued.decrementAndGet();
                dropped.increment();
                droppedSinceLog++;
                if (System.nanoTime() - lastLogNanos >= TimeUnit.MINUTES.toNanos(1)) {
                    lastLogNanos = System.nanoTime();
                    log.warn("channel listener " + listener.getClass().getName() + " is " + capacity
                            + " events behind; " + droppedSinceLog + " event(s) dropped in the last minute");
                    droppedSinceLog = 0;
                }
                return;
            }
            queue.add(event);
        }

        void stop(boolean deliverQueued) {
            drain = deliverQueued;
            running = false;
            thread.interrupt();
        }

        @Override
        public void run() {
            while (true) {
                Consumer<ChannelListener> event;
                try {
                    event = running ? queue.take() : (drain ? queue.poll() : null);
                } catch (InterruptedException e) {
                    continue; // told to stop: look at running and drain again
                }
                if (event == null) {
                    return;
                }
                queued.decrementAndGet();
                try {
                    event.accept(listener);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) { // a listener's bug is its own: log, count, go on
                    failed.increment();
                    log.error("channel listener " + listener.getClass().getName() + " failed", e);
                }
            }
        }
    }
}
