package relay.signal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The threads that write to the connections, so the hub's thread never does (Jetty's async
 * {@code sendText} writes to the socket on the caller's thread when it is writable). A fixed set of
 * writers ({@code relay-signal-writer-1..N}); each connection gets an {@link Outbox}, owned by one
 * writer for its whole life (the connections are dealt out in turn), so what is added to one
 * outbox is written in the order it was added, whoever added it.
 *
 * <p>An outbox is a one-way queue from the hub (and the connection's own reading thread, which
 * answers a rate-limited frame) to its writer; adding never blocks and never writes. Its length is
 * bounded by the connection's send budget, counted by the caller ({@link SignalSocket}: the bytes
 * it has queued and Jetty has not written yet, in the outbox or in Jetty), and its writer's queue
 * holds each outbox at most once, so a writer's backlog is bounded by its connections' budgets.
 * A writer writes at most {@link #BATCH} items of one outbox before it lets the next one go.
 */
final class Writers {

    /** Items a writer takes from one outbox before it serves the next one waiting. */
    static final int BATCH = 64;

    /**
     * The number of writers: one per two processors (the hub's thread and Jetty's selectors want
     * the others), at least 1, at most 4; the system property {@code relay.signal.writers} (1 to
     * 16) sets it otherwise, for measurements. On two CPUs one writer cost less CPU per delivery
     * than two, with the same throughput (README, signalling benchmark).
     */
    static int defaultCount() {
        int n = Integer.getInteger("relay.signal.writers", Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        return Math.max(1, Math.min(16, n));
    }

    /** Writes one item of an outbox, on its writer's thread. */
    interface Sink {
        void write(Object item);
    }

    private final Writer[] writers;
    private final AtomicLong dealt = new AtomicLong();
    private final Consumer<String> warn;

    /**
     * Starts {@code count} writer threads named {@code prefix-1..count}.
     *
     * @param warn where a sink that throws is reported
     */
    Writers(int count, String prefix, Consumer<String> warn) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one writer");
        }
        this.warn = warn;
        writers = new Writer[count];
        for (int i = 0; i < count; i++) {
            writers[i] = new Writer(prefix + "-" + (i + 1));
        }
        for (Writer w : writers) {
            w.thread.start();
        }
    }

    int count() {
        return writers.length;
    }

    /** @return a new connection's outbox, owned by the next writer in turn */
    Outbox outbox(Sink sink) {
        return new Outbox(writers[(int) Math.floorMod(dealt.getAndIncrement(), (long) writers.length)], sink);
    }

    /** @return the outboxes waiting for a writer, over all writers (a gauge) */
    int waiting() {
        int n = 0;
        for (Writer w : writers) {
            n += w.ready.size();
        }
        return n;
    }

    /**
     * Lets each writer write what was added before this call, then ends its thread (waiting at most
     * {@code timeoutMillis} in all; a writer still busy then is interrupted). What is added once
     * its thread has ended is never written.
     */
    void stop(long timeoutMillis) {
        for (Writer w : writers) {
            w.ready.add(POISON);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        for (Writer w : writers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (w.thread.isAlive()) {
                w.thread.interrupt();
            }
        }
        for (Writer w : writers) {
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Outbox POISON = new Outbox(null, item -> { });

    /** One thread and the outboxes that have something for it, each at most once. */
    private final class Writer implements Runnable {
        final LinkedBlockingQueue<Outbox> ready = new LinkedBlockingQueue<>();
        final Thread thread;

        Writer(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Outbox o = ready.take();
                    if (o == POISON) {
                        // what was queued before the stop, and the rest of outboxes longer than a batch
                        while ((o = ready.poll()) != null && !Thread.currentThread().isInterrupted()) {
                            if (o != POISON) {
                                o.drain(warn);
                            }
                        }
                        return;
                    }
                    o.drain(warn);
                }
            } catch (InterruptedException e) {
                // stopped past its time
            }
        }

        void ready(Outbox o) {
            ready.add(o);
        }
    }

    /** One connection's items in order: added by any thread, written by its writer only. */
    static final class Outbox {
        private final Writer writer;
        private final Sink sink;
        private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
        /** Whether this outbox is in its writer's queue (or being drained with more to come). */
        private final AtomicBoolean scheduled = new AtomicBoolean();

        private Outbox(Writer writer, Sink sink) {
            this.writer = writer;
            this.sink = sink;
        }

        /** Queues {@code item} for the writer; returns at once. */
        void add(Object item) {
            items.add(item);
            if (scheduled.compareAndSet(false, true)) {
                writer.ready(this);
            }
        }

        /** @return the name of the thread that writes this outbox */
        String writer() {
            return writer.thread.getName();
        }

        /** Writer thread: writes up to {@link #BATCH} items, and queues itself again if more are left. */
        private void drain(Consumer<String> warn) {
            // cleared first: an item added after the last poll below schedules this outbox again
            scheduled.set(false);
            for (int n = 0; n < BATCH; n++) {
                Object item = items.poll();
                if (item == null) {
                    return;
                }
                try {
                    sink.write(item);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    warn.accept("signalling writer: " + e);
                }
            }
            if (!items.isEmpty() && scheduled.compareAndSet(false, true)) {
                writer.ready(this);
            }
        }
    }
}
