package relay.signal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The nodes' shared bus: one Redis pub/sub channel. A publisher thread sends what the hub gives
 * it, in order, from a bounded queue (full: dropped and counted, never a wait for the hub); a
 * subscriber thread hands every message to the hub. Each reconnects on its own after a failure
 * (every second), and a new subscription is announced ({@code onSubscribed}) so the hub can ask the
 * other nodes for their state again.
 */
final class RedisBus implements Hub.Bus {

    static final int QUEUE = 100_000;
    private static final String STOP = new String("stop");

    private final URI uri;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final Consumer<String> warn;
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(QUEUE);
    final LongAdder dropped = new LongAdder();
    private final Thread publisher;
    private final Thread subscriber;
    private volatile boolean stopped;
    private volatile Resp subscription;

    RedisBus(URI uri, String channel, Consumer<String> onMessage, Runnable onSubscribed, Consumer<String> warn) {
        this.uri = uri;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.warn = warn;
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
        Resp r = null;
        String pending = null;
        boolean warned = false;
        while (!stopped) {
            try {
                if (pending == null) {
                    pending = outbox.take();
                }
                if (pending == STOP) {
                    break;
                }
                if (r == null) {
                    r = Resp.connect(uri, 5000);
                    warned = false;
                }
                r.command("PUBLISH", channel, pending);
                pending = null;
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (r != null) {
                    r.close();
                    r = null;
                }
                if (!warned) {
                    warn.accept("relay.signal: Redis at " + safe(uri) + " cannot be published to (" + e.getMessage()
                            + "); retrying every second");
                    warned = true;
                }
                pending = null; // lost: the bus says so in its counter, the nodes resync on resubscribe
                dropped.increment();
                if (!pause()) {
                    break;
                }
            }
        }
        if (r != null) {
            r.close();
        }
    }

    private void subscribe() {
        boolean warned = false;
        while (!stopped) {
            Resp r = null;
            try {
                r = Resp.connect(uri, 5000);
                subscription = r;
                if (stopped) {
                    break;
                }
                r.command("SUBSCRIBE", channel);
                r.timeout(0);
                warned = false;
                onSubscribed.run();
                while (!stopped) {
                    Object m = r.read();
                    if (m instanceof List<?> l && l.size() == 3 && "message".equals(l.get(0)) && l.get(2) instanceof String s) {
                        onMessage.accept(s);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!stopped && !warned) {
                    warn.accept("relay.signal: Redis at " + safe(uri) + " cannot be subscribed to (" + e.getMessage()
                            + "); retrying every second");
                    warned = true;
                }
            } finally {
                if (r != null) {
                    r.close();
                }
                subscription = null;
            }
            if (!pause()) {
                break;
            }
        }
    }

    private boolean pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Sends what is queued (for at most 3 s: a node's goodbye), then stops both threads and closes
     * the connections.
     */
    void stop() {
        if (!outbox.offer(STOP)) {
            outbox.clear();
            outbox.offer(STOP);
        }
        try {
            publisher.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        Resp s = subscription;
        if (s != null) {
            s.close();
        }
        subscriber.interrupt();
        publisher.interrupt();
        try {
            subscriber.join(5000);
            publisher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the URI without its password */
    static String safe(URI uri) {
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()) + (uri.getPath() == null ? "" : uri.getPath());
    }
}
