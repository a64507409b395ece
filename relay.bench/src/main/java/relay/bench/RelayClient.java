package relay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The relay's REST API, as far as the bench needs it: allocate, destroy, stats. */
final class RelayClient {

    /**
     * One allocated channel: where the bench's X socket sends (A) and where Y sends (B), and the
     * RTCP ports of A and B (null without RTCP, or when unknown).
     */
    record Channel(String id, InetSocketAddress a, InetSocketAddress b, InetSocketAddress rtcpA,
            InetSocketAddress rtcpB) {

        Channel(String id, InetSocketAddress a, InetSocketAddress b) {
            this(id, a, b, null, null);
        }

        /** Every port of the relay's that belongs to the channel: A, B, then RTCP A and B if known. */
        List<InetSocketAddress> relayAddresses() {
            List<InetSocketAddress> list = new ArrayList<>(4);
            list.add(a);
            list.add(b);
            if (rtcpA != null) {
                list.add(rtcpA);
            }
            if (rtcpB != null) {
                list.add(rtcpB);
            }
            return list;
        }
    }

    /** A relay answer other than the expected status, with what the relay said. */
    static final class AnswerException extends IOException {
        final int status;

        AnswerException(String what, int status, String body) {
            super(what + " answered " + status + ": " + Json.abbreviate(body));
            this.status = status;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String token;
    private final HttpClient http;

    RelayClient(URI base, String token) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = token;
        // HTTP/1.1 keeps one connection alive across thousands of allocations
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    URI base() {
        return base;
    }

    Map<String, Object> stats() throws IOException {
        HttpResponse<String> r = send(request("/stats").GET());
        expect("GET /stats", r, 200);
        return Json.parseObject(r.body());
    }

    /**
     * GET /metrics on the REST listener (next to the API's base path): the Prometheus text format.
     */
    String metrics() throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(TIMEOUT).GET();
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = send(b);
        expect("GET /metrics", r, 200);
        return r.body();
    }

    /** True when GET /stats answers 200; false while the relay is not listening yet. */
    boolean ready() {
        try {
            return send(request("/stats").timeout(Duration.ofSeconds(2)).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    Channel allocate(String user) throws IOException {
        String body = Json.write(Map.of("user", user));
        HttpResponse<String> r = send(request("/channels").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        expect("POST /channels for " + user, r, 201);
        return channel(Json.parseObject(r.body()));
    }

    void destroy(String id) throws IOException {
        HttpResponse<String> r = send(request("/channels/" + id).DELETE());
        expect("DELETE /channels/" + id, r, 204);
    }

    /** Reads a channel of the REST API; its host must be a loopback address: bench traffic stays local. */
    static Channel channel(Map<String, Object> json) {
        Object id = json.get("id");
        Object host = json.get("host");
        if (!(id instanceof String) || !(host instanceof String)) {
            throw new IllegalArgumentException("channel without id or host: " + Json.write(json));
        }
        InetAddress address;
        try {
            address = InetAddress.getByName((String) host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("channel host '" + host + "' does not resolve", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("channel host " + host
                    + " is not a loopback address; the bench sends only on 127.0.0.1 (set public.address)");
        }
        return new Channel((String) id, new InetSocketAddress(address, port(json, "portA")),
                new InetSocketAddress(address, port(json, "portB")), rtcp(json, address, "rtcpPortA"),
                rtcp(json, address, "rtcpPortB"));
    }

    /** An RTCP port of the channel, or null when the relay gives none (no RTCP, or an older relay). */
    private static InetSocketAddress rtcp(Map<String, Object> json, InetAddress address, String key) {
        return json.get(key) == null ? null : new InetSocketAddress(address, port(json, key));
    }

    private static int port(Map<String, Object> json, String key) {
        Object v = json.get(key);
        if (v instanceof Long n && n >= 1 && n <= 65_535) {
            return n.intValue();
        }
        throw new IllegalArgumentException("channel " + key + " is not a port: " + v);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(String what, HttpResponse<String> r, int status) throws AnswerException {
        if (r.statusCode() != status) {
            throw new AnswerException(what, r.statusCode(), r.body());
        }
    }
}
