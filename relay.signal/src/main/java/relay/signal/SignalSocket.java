package relay.signal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;

import com.google.gson.JsonObject;

/**
 * One WebSocket connection of {@code /signal} (Jetty's API): reads and rate-limits frames on
 * Jetty's thread, parses them, and hands them to the {@link Hub}; sends what the hub gives it
 * through its outbox, written to Jetty by the connection's writer thread ({@link Writers}: never
 * the hub's thread), in order, within a send budget (a client that stops reading is closed with
 * 1008 rather than let the node's memory grow). Pings and the close go through the outbox too, so
 * a close never overtakes the frames queued before it.
 */
public final class SignalSocket implements Session.Listener.AutoDemanding, Link {

    /** Bytes queued for a client beyond which it is closed: at least 1 MiB, 16 of the largest frames. */
    static long budget(SignalSettings s) {
        return Math.max(1 << 20, 16L * s.maxFrameBytes());
    }

    private final Hub hub;
    private final InetAddress address;
    private final RateLimiter limiter;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile Session session;
    private final Writers.Outbox out;

    /** A close, queued behind the frames sent before it. */
    private record Closing(int code, String reason) {
    }

    private static final Object PING = new Object();

    SignalSocket(Hub hub, SocketAddress remote) {
        this.hub = hub;
        this.out = hub.writers.outbox(this::write);
        this.address = remote instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress()
                : InetAddress.getLoopbackAddress();
        this.limiter = new RateLimiter(hub.settings().burst(), System.nanoTime());
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        SignalSettings settings = hub.settings();
        s.setMaxTextMessageSize(settings.maxFrameBytes());
        s.setMaxBinaryMessageSize(settings.maxFrameBytes());
        // the heartbeat finds dead connections; Jetty's idle timeout only backs it up
        s.setIdleTimeout(java.time.Duration.ofSeconds(settings.heartbeatSeconds() * 3L + 5));
        hub.opened(this);
    }

    @Override
    public void onWebSocketText(String text) {
        SignalSettings s = hub.settings();
        long wait = limiter.acquire(s.ratePerSecond(), s.burst(), System.nanoTime());
        JsonObject frame;
        try {
            frame = Json.parseObject(text);
        } catch (Json.Malformed e) {
            if (wait > 0) {
                refuseRate(s, null, wait);
                return;
            }
            hub.malformed(this, "invalid_json", "a frame must be one JSON object");
            return;
        }
        if (wait > 0) {
            refuseRate(s, Json.string(frame, "id"), wait);
            return;
        }
        hub.frame(this, frame);
    }

    private void refuseRate(SignalSettings s, String id, long waitNanos) {
        if (limiter.abusive(s.burst())) {
            hub.stats.refused("flood");
            close(Close.TOO_MANY, "flooding");
            return;
        }
        hub.stats.refused("rate_limited");
        JsonObject extra = new JsonObject();
        extra.addProperty("retryAfter", Math.ceil(waitNanos / 1_000_000.0) / 1000.0);
        send(Hub.error(id, "rate_limited", "more than " + s.ratePerSecond() + " frames per second", extra).toString());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        hub.malformed(this, "binary_frame", "binary frames are not part of the protocol: send JSON text");
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        hub.pong(this);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (gone.compareAndSet(false, true)) {
            hub.closed(this, statusCode);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (gone.compareAndSet(false, true)) {
            hub.closed(this, cause instanceof MessageTooLargeException ? Close.TOO_BIG : 1006);
        }
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public void send(String text) {
        Session s = session;
        if (s == null || closing.get()) {
            return;
        }
        long size = text.length();
        // counted from here until Jetty has written it: the outbox and Jetty's queue share the budget
        if (pending.addAndGet(size) > budget(hub.settings())) {
            pending.addAndGet(-size);
            hub.stats.refused("slow_consumer");
            close(Close.POLICY, "not reading its frames");
            return;
        }
        out.add(text);
    }

    @Override
    public void ping() {
        Session s = session;
        if (s != null && !closing.get()) {
            out.add(PING);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null && closing.compareAndSet(false, true)) {
            out.add(new Closing(code, reason));
        }
    }

    /** The writer's thread: hands one item of the outbox to Jetty, which writes it now if it can. */
    private void write(Object item) {
        Session s = session;
        if (item instanceof String text) {
            long size = text.length();
            try {
                s.sendText(text, Callback.from(() -> pending.addAndGet(-size), x -> pending.addAndGet(-size)));
            } catch (RuntimeException gone) {
                pending.addAndGet(-size); // a session Jetty has closed: the frame is dropped, as it would be
            }
        } else if (item == PING) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        } else if (item instanceof Closing c) {
            s.close(c.code(), c.reason(), Callback.NOOP);
        }
    }
}
