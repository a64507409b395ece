package relay.signal;

import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The nodes' shared bus: one Redis pub/sub channel, through Jedis. A publisher thread sends what
 * the hub gives it, in order, from a bounded queue (full: dropped and counted, never a wait for
 * the hub), over a small {@link JedisPooled}; a subscriber thread owns the one connection that runs
 * {@code SUBSCRIBE} (Jedis pub/sub blocks its thread) and hands every message to the hub. Each
 * reconnects on its own after a failure, waiting {@link #FIRST_RETRY_MS} and then twice as long
 * each time up to {@link #LAST_RETRY_MS}; a new subscription is announced ({@code onSubscribed})
 * so the hub can ask the other nodes for their state again, and ends the publisher's wait. {@link #stop} leaves no thread and no
 * socket behind.
 */
final class RedisBus implements Hub.Bus {

    static final int QUEUE = 100_000;
    /** How long connecting, or a command, may wait for Redis. */
    static final int TIMEOUT_MS = 2000;
    static final long FIRST_RETRY_MS = 200;
    static final long LAST_RETRY_MS = 5000;
    private static final String STOP = new String("stop");

    private final URI uri;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(QUEUE);
    final LongAdder dropped = new LongAdder();
    /** Released when a subscription (re)starts, or at stop: ends the publisher's wait between attempts. */
    private final Semaphore wake = new Semaphore(0);
    private final JedisPooled redis;
    private final Thread publisher;
    private final Thread subscriber;
    private volatile boolean stopped;
    /** The subscriber's connection and its listener while it has one (subscriber thread writes). */
    private volatile Jedis subscription;
    private volatile JedisPubSub listener;

    RedisBus(URI uri, String channel, Consumer<String> onMessage, Runnable onSubscribed, Consumer<String> warn,
            Consumer<String> info) {
        this.uri = uri;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.warn = warn;
        this.info = info;
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(2); // one publisher thread; the second only while a broken one is replaced
        pool.setMaxIdle(2);
        pool.setMaxWait(java.time.Duration.ofMillis(TIMEOUT_MS));
        pool.setJmxEnabled(false); // no MBean left behind by a stopped bundle; no evictor thread either
        this.redis = new JedisPooled(pool, uri, TIMEOUT_MS, TIMEOUT_MS);
        this.publisher = new Thread(this::publish, "relay-signal-redis-pub");
        this.subscriber = new Thread(this::subscribe, "relay-signal-redis-sub");
        publisher.setDaemon(true);
        subscriber.setDaemon(true);
    }

    RedisBus start() {
        subscriber.start();
        publisher.start();
        return this;
    }

    @Override
    public void publish(String message) {
        if (!outbox.offer(message)) {
            dropped.increment();
        }
    }

    private void publish() {
        String pending = null;
        boolean warned = false;
        long retry = FIRST_RETRY_MS;
        while (!stopped) {
            try {
                if (pending == null) {
                    pending = outbox.take();
                }
                if (pending == STOP) {
                    break;
                }
                send(pending);
                pending = null;
                retry = FIRST_RETRY_MS;
                if (warned) {
                    info.accept("relay.signal: Redis at " + safe(uri) + " is published to again");
                    warned = false;
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!warned) {
                    warn.accept("relay.signal: Redis at " + safe(uri) + " cannot be published to (" + e.getMessage()
                            + "); retrying");
                    warned = true;
                }
                pending = null; // lost: the bus says so in its counter, the nodes resync on resubscribe
                dropped.increment();
                wake.drainPermits();
                try {
                    wake.tryAcquire(retry, TimeUnit.MILLISECONDS); // a new subscription ends the wait
                } catch (InterruptedException ie) {
                    break;
                }
                retry = Math.min(retry * 2, LAST_RETRY_MS);
            }
        }
    }

    /**
     * Publishes one message; a connection that broke while idle (Redis restarted) is replaced at
     * once, so the message is tried a second time on a new one before it counts as lost.
     */
    private void send(String message) {
        try {
            redis.publish(channel, message);
        } catch (JedisConnectionException e) {
            redis.publish(channel, message); // the pool destroyed the broken connection: a new one
        }
    }

    private void subscribe() {
        while (!stopped) {
            Jedis r = null;
            try {
                r = new Jedis(uri, TIMEOUT_MS, TIMEOUT_MS); // connects, authenticates, selects the db
                subscription = r;
                if (stopped) {
                    break;
                }
                JedisPubSub l = new Listener();
                listener = l;
                r.subscribe(l, channel); // returns when unsubscribed; throws when the connection breaks
            } catch (RuntimeException e) {
                if (!stopped && !subscriberWarned) {
                    warn.accept("relay.signal: Redis at " + safe(uri) + " cannot be subscribed to (" + e.getMessage()
                            + "); retrying");
                    subscriberWarned = true;
                }
            } finally {
                listener = null;
                subscription = null;
                if (r != null) {
                    r.close();
                }
            }
            if (stopped || !pause(subscriberRetry)) {
                break;
            }
            subscriberRetry = Math.min(subscriberRetry * 2, LAST_RETRY_MS);
        }
    }

    /** The subscriber thread's: whether it said Redis was gone, and its next wait. */
    private boolean subscriberWarned;
    private long subscriberRetry = FIRST_RETRY_MS;

    /** Runs on the subscriber thread, inside {@link Jedis#subscribe}. */
    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String name, int count) {
            subscriberRetry = FIRST_RETRY_MS;
            if (subscriberWarned) {
                info.accept("relay.signal: Redis at " + safe(uri) + " is subscribed to again");
                subscriberWarned = false;
            }
            wake.release(); // the publisher, if it waits to retry, tries again now
            onSubscribed.run();
        }

        @Override
        public void onMessage(String name, String message) {
            onMessage.accept(message);
        }
    }

    private boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Sends what is queued (for at most 3 s: a node's goodbye), then unsubscribes, closes the
     * connections and waits for both threads to end.
     */
    void stop() {
        if (!outbox.offer(STOP)) {
            outbox.clear();
            outbox.offer(STOP);
        }
        join(publisher, 3000);
        stopped = true;
        JedisPubSub l = listener;
        if (l != null && l.isSubscribed()) {
            try {
                l.unsubscribe(); // subscribe() returns on the subscriber thread, which closes its connection
            } catch (RuntimeException e) {
                // the connection is already broken: closed below
            }
            join(subscriber, 1000);
        }
        Jedis s = subscription;
        if (s != null) {
            try {
                s.disconnect(); // a subscription that did not end: its read fails now
            } catch (RuntimeException e) {
                // closing
            }
        }
        subscriber.interrupt(); // out of a pause between attempts
        wake.release();
        publisher.interrupt();
        join(subscriber, TIMEOUT_MS * 3L);
        join(publisher, TIMEOUT_MS * 3L);
        redis.close();
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the URI without its password */
    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort())
                + (uri.getPath() == null ? "" : uri.getPath());
    }
}
