package relay.cluster;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's own thread ({@code relay-cluster}): it beats every heartbeat and runs, in
 * order, the work others hand it over a one-way queue (directory removals), so that no relay
 * thread ever waits for Redis except a caller for its own allocation.
 */
final class ClusterAgent implements Runnable {

    /** What the agent does every heartbeat. */
    interface Beat {
        void beat();
    }

    private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>(100_000);
    private final Beat beat;
    private final Duration period;
    private final Thread thread;
    private volatile boolean running = true;

    ClusterAgent(Beat beat, Duration period) {
        this.beat = beat;
        this.period = period;
        this.thread = new Thread(this, "relay-cluster");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** @return false if the queue is full (Redis has been away for long; the rebuild will catch up) */
    boolean submit(Runnable task) {
        return work.offer(task);
    }

    /** Stops the thread and waits for it (a Redis call in flight ends within its timeout). */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(RedisStore.TIMEOUT_MS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long next = System.nanoTime() + period.toNanos();
        while (running) {
            try {
                long wait = next - System.nanoTime();
                Runnable task = wait > 0 ? work.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (task != null) {
                    task.run();
                }
                if (System.nanoTime() - next >= 0) {
                    next = System.nanoTime() + period.toNanos();
                    beat.beat();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // a task failed: the beat marks Redis down, the rebuild repairs
                continue;
            }
        }
    }
}
