package relay.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the relay's REST API over a {@link LoopbackForwarder}, on real HTTP: POST
 * /relay/channels hands out the forwarder's next channel (201, or 503 when none is left), DELETE
 * frees nothing but is recorded, GET /relay/stats answers with the forwarder's counts as the
 * relay's {@code forwarded}. Lets the whole bench run without relay.jar.
 */
final class MiniRelay implements AutoCloseable {

    final LoopbackForwarder forwarder;
    final HttpServer server;
    final List<String> users = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    /** Where the requests to /relay/channels came from: one address per connection. */
    final Set<InetSocketAddress> channelClients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private volatile String host = "127.0.0.1";

    MiniRelay(int channels) throws IOException {
        forwarder = new LoopbackForwarder(channels);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/relay/stats", ex -> answer(ex, 200, stats()));
        server.createContext("/relay/channels", this::channels);
        server.start();
    }

    private String stats() {
        Map<String, Object> dropped = Map.of("FOREIGN_SOURCE", forwarder.foreign.get(), "NOT_LATCHED",
                forwarder.notLatched.get());
        return Json.write(Map.of("channels", next.get(), "forwarded",
                Map.of("packets", forwarder.forwarded.get(), "bytes", 0, "dropped", dropped)));
    }

    /** Makes the next allocations report another host (to test the loopback-only rule). */
    void host(String h) {
        host = h;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/relay");
    }

    private void channels(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        lastHeaders.put("Authorization", auth == null ? "" : auth);
        channelClients.add(ex.getRemoteAddress());
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (method.equals("POST") && path.equals("/relay/channels")) {
            Map<String, Object> body = Json.parseObject(new String(ex.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            String user = (String) body.get("user");
            if (user == null || !user.contains("@")) {
                answer(ex, 400, "{\"error\":\"bad-request\",\"message\":\"user is not a bare JID\"}");
                return;
            }
            int i = next.getAndIncrement();
            if (i >= forwarder.size()) {
                answer(ex, 503, "{\"error\":\"capacity\",\"reason\":\"ports exhausted\"}");
                return;
            }
            users.add(user);
            RelayClient.Channel c = forwarder.channel(i);
            answer(ex, 201, Json.write(Map.of("id", c.id(), "owner", user, "host", host, "portA", c.a().getPort(),
                    "portB", c.b().getPort(), "rtcp", false, "expire", 60, "state", "ALLOCATED")));
        } else if (method.equals("DELETE") && path.startsWith("/relay/channels/")) {
            deleted.add(path.substring("/relay/channels/".length()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        } else {
            answer(ex, 404, "{\"error\":\"not-found\"}");
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        forwarder.close();
    }
}
