package relay.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests, on the JDK's {@link java.net.http.WebSocket}: text frames received
 * are queued in order ({@link #next}, {@link #await}); the server's close code and reason are kept
 * ({@link #closed}). Pings are answered by the JDK.
 */
public final class WsClient implements AutoCloseable {

    /** How the server closed the connection: its code and reason, or -1 when it broke without a close frame. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri, Map<String, String> headers, javax.net.ssl.SSLContext tls) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            client.sslContext(tls);
        }
        HttpClient http = client.build();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        StringBuilder partial = new StringBuilder();
        socket = b.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** @return a client connected to {@code uri} (ws:// or wss://) */
    public static WsClient connect(String uri) throws Exception {
        return new WsClient(URI.create(uri), Map.of(), null);
    }

    /** @return a client connected to {@code uri} (wss://), trusting what {@code tls} trusts */
    public static WsClient connect(String uri, javax.net.ssl.SSLContext tls) throws Exception {
        return new WsClient(URI.create(uri), Map.of(), tls);
    }

    /** Sends one text frame and waits until it is handed to the network. */
    public WsClient send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        return this;
    }

    /** Sends one binary frame. */
    public WsClient sendBinary(byte[] data) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
        return this;
    }

    /** @return the next text frame, or null if none comes within {@code millis} */
    public String next(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @return the first frame (within 10 s) that {@code test} accepts; the frames before it are dropped
     * @throws AssertionError if none comes
     */
    public String await(String what, Predicate<String> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            String f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no frame " + what + " within 10 s");
            }
            if (test.test(f)) {
                return f;
            }
        }
    }

    /** @return the frames received and not yet read, dropping them */
    public java.util.List<String> drain() {
        java.util.List<String> all = new java.util.ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    /** @return how the server closed the connection, waiting at most {@code millis}; null if it is still open */
    public Closed closed(long millis) throws InterruptedException {
        try {
            return closed.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes with a close frame of this code. */
    public void close(int code) {
        try {
            socket.sendClose(code, "bye").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    /** Drops the TCP connection without a close frame (the network broke). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            close(1000);
        }
        socket.abort();
    }
}
