package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.Exposition;

/**
 * The REST API over real HTTP against the real bundles in the exported relay.jar: every status
 * it promises, keep-alive, and no 500 for any request. One relay process for the class, with a
 * capacity of 3 channels and a rate limit of 3 allocations per user per minute, so each test
 * allocates for users of its own and deletes what it made. Relay ports 26400-26499, HTTP 18612.
 */
class RestApiIT {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        relay = RelayProcess.prepare("rest", 18612,
                "relay.core", "port.min", "26400", "relay.core", "port.max", "26499",
                "relay.core", "max.channels", "3",
                "relay.policy.quota", "max.requests.per.minute", "3").start(true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    private static String newUser() {
        return "user" + USERS.incrementAndGet() + "@example.com";
    }

    private static HttpResponse<String> post(String body) throws IOException {
        return relay.post("/relay/channels", body);
    }

    /** Checks the status, the JSON error body with all four fields, and returns the body. */
    private static JsonObject assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals(error, body.get("error").getAsString(), r.body());
        for (String key : new String[] {"reason", "policy", "message"}) {
            assertTrue(body.has(key), key + " missing: " + r.body());
        }
        return body;
    }

    private static void deleteAll(List<String> ids) throws IOException {
        for (String id : ids) {
            assertEquals(204, relay.delete("/relay/channels/" + id).statusCode());
        }
    }

    /**
     * {@code GET /metrics} from the bundles of the assembly (client_java and its JVM instrumentation
     * resolved in Felix, com.sun.management from the system bundle): both formats read strictly.
     */
    @Test
    void metricsInBothFormatsWithTheJvmsOwn() throws IOException {
        HttpResponse<String> text = relay.get("/metrics");
        assertEquals(200, text.statusCode(), text.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type").orElse(""));
        Exposition e = Exposition.parse(text.body(), Exposition.Format.PROMETHEUS);
        assertEquals(3, e.value("relay_channels_capacity"));
        assertEquals(100, e.value("relay_ports_total"));
        assertTrue(e.value("process_open_fds") > 0, "process metrics need com.sun.management");
        assertTrue(e.value("process_cpu_seconds_total") > 0);
        assertTrue(e.value("jvm_memory_used_bytes", "area", "heap") > 0);
        assertFalse(e.find("jvm_gc_collection_seconds_count").isEmpty());

        HttpResponse<String> om = relay.send(relay.request("/metrics")
                .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3").GET().build());
        assertEquals(200, om.statusCode(), om.body());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", om.headers().firstValue("Content-Type").orElse(""));
        Exposition.parse(om.body(), Exposition.Format.OPENMETRICS);
    }

    /** The Grafana dashboard in the repository queries only metrics that a real scrape holds. */
    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws IOException, InterruptedException {
        Path file = Path.of(System.getProperty("relay.dashboard", "../grafana/relay-dashboard.json"));
        JsonObject dashboard = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        List<String> queries = new ArrayList<>();
        for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
            JsonObject p = panel.getAsJsonObject();
            if (p.has("targets")) {
                p.getAsJsonArray("targets").forEach(t -> queries.add(t.getAsJsonObject().get("expr").getAsString()));
            }
        }
        for (JsonElement variable : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
            if (variable.getAsJsonObject().has("definition")) {
                queries.add(variable.getAsJsonObject().get("definition").getAsString());
            }
        }
        assertTrue(queries.size() > 20, queries.toString());
        Set<String> queried = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:relay|jvm|process)_[a-z0-9_]+)").matcher(String.join("\n", queries));
        while (m.find()) {
            queried.add(m.group(1));
        }
        // the I/O loops' busy ratio is written once they have run a full second: a scrape right after
        // start may come before it, so wait (a bounded while) for every queried family to be there
        Set<String> scraped = Set.of();
        Set<String> missing = new TreeSet<>(queried);
        for (long deadline = System.nanoTime() + 10_000_000_000L; !missing.isEmpty() && System.nanoTime() < deadline;
                Thread.sleep(200)) {
            scraped = Exposition.parse(relay.get("/metrics").body(), Exposition.Format.PROMETHEUS).sampleNames();
            missing = new TreeSet<>(queried);
            missing.removeAll(scraped);
        }
        assertEquals(Set.of(), missing, "queried by the dashboard, absent from /metrics");
        for (String promised : List.of("relay_channels_live", "relay_channels_capacity", "relay_channels_allocated_total",
                "relay_allocations_denied_total", "relay_forwarded_packets_total", "relay_forwarded_bytes_total",
                "relay_dropped_packets_total", "relay_ports_free", "relay_ports_total", "relay_io_loop_busy_ratio",
                "relay_allocation_seconds_bucket")) {
            assertTrue(queried.contains(promised), promised + " has no panel");
        }
    }

    @Test
    void postAnswers201WithTheChannelGetFindsItAndDeleteAnswers204() throws Exception {
        String user = newUser();
        HttpResponse<String> r = post("{\"user\": \"" + user + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject ch = JsonParser.parseString(r.body()).getAsJsonObject();
        for (String key : new String[] {"id", "owner", "host", "portA", "portB", "rtcp", "expire", "state", "created",
                "rtcpPortA", "rtcpPortB", "peerA", "peerB", "aToB", "bToA"}) {
            assertTrue(ch.has(key), key + " missing: " + r.body());
        }
        String id = ch.get("id").getAsString();
        assertEquals("/relay/channels/" + id, r.headers().firstValue("Location").orElse(null));

        assertEquals(id, JsonParser.parseString(relay.get("/relay/channels/" + id).body()).getAsJsonObject()
                .get("id").getAsString());
        JsonArray mine = JsonParser.parseString(relay.get("/relay/channels?user=" + user).body()).getAsJsonArray();
        assertEquals(1, mine.size());
        JsonArray all = JsonParser.parseString(relay.get("/relay/channels").body()).getAsJsonArray();
        assertTrue(all.size() >= 1);
        JsonObject stats = JsonParser.parseString(relay.get("/relay/stats").body()).getAsJsonObject();
        assertTrue(stats.get("allocated").getAsLong() >= 1);

        HttpResponse<String> deleted = relay.delete("/relay/channels/" + id);
        assertEquals(204, deleted.statusCode());
        assertEquals("", deleted.body());
        assertError(relay.delete("/relay/channels/" + id), 404, "not_found");
        assertError(relay.get("/relay/channels/" + id), 404, "not_found");
    }

    @Test
    void badRequestsAre400AndAllocateNothing() throws Exception {
        long before = allocatedSoFar();
        for (String bad : new String[] {"", "{", "not json", "[]", "{user: \"a@example.com\"}", "{\"user\": \"a@example.com\"} {}"}) {
            assertError(post(bad), 400, "invalid_json");
        }
        for (String bad : new String[] {"{}", "{\"user\": 42}", "{\"user\": \"\"}", "{\"user\": \"a b@example.com\"}",
                "{\"user\": \"@example.com\"}"}) {
            assertError(post(bad), 400, "invalid_user");
        }
        assertError(relay.get("/relay/channels?user=not%20a%20jid"), 400, "invalid_user");
        String big = "{\"user\": \"a@example.com\", \"pad\": \"" + "x".repeat(9000) + "\"}";
        assertError(post(big), 400, "body_too_large");
        assertEquals(before, allocatedSoFar());
    }

    @Test
    void aPolicyDenialIs403WithThePolicysName() throws Exception {
        JsonObject body = assertError(post("{\"user\": \"mallory@evil.example\"}"), 403, "denied");
        assertEquals("POLICY", body.get("reason").getAsString());
        assertEquals("whitelist", body.get("policy").getAsString());
    }

    @Test
    void aRateLimitDenialCarriesRetryAfter() throws Exception {
        String user = newUser();
        List<String> ids = new ArrayList<>();
        HttpResponse<String> r;
        while ((r = post("{\"user\": \"" + user + "\"}")).statusCode() == 201 && ids.size() < 10) {
            String id = JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString();
            ids.add(id);
            assertEquals(204, relay.delete("/relay/channels/" + id).statusCode()); // stay under capacity
        }
        assertEquals(3, ids.size(), "allocations before the rate limit");
        JsonObject body = assertError(r, 403, "denied");
        assertEquals("POLICY", body.get("reason").getAsString());
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(retryAfter, body.get("retryAfter").getAsLong());
    }

    @Test
    void unknownIdsAndPathsAre404() throws Exception {
        assertError(relay.get("/relay/channels/no-such-channel"), 404, "not_found");
        assertError(relay.delete("/relay/channels/no-such-channel"), 404, "not_found");
        assertError(relay.get("/relay/nothing"), 404, "not_found");
        assertError(relay.get("/"), 404, "not_found");
    }

    @Test
    void wrongMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> put = relay.send(relay.request("/relay/channels")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(put, 405, "method_not_allowed");
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> postStats = relay.post("/relay/stats", "{}");
        assertError(postStats, 405, "method_not_allowed");
        assertEquals("GET", postStats.headers().firstValue("Allow").orElse(null));
        assertError(relay.post("/relay/channels/abc", "{}"), 405, "method_not_allowed");
    }

    @Test
    void capacityIs503WithItsReason() throws Exception {
        List<String> ids = new ArrayList<>();
        HttpResponse<String> r;
        try {
            while ((r = post("{\"user\": \"" + newUser() + "\"}")).statusCode() == 201 && ids.size() < 10) {
                ids.add(JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString());
            }
            JsonObject body = assertError(r, 503, "unavailable");
            assertEquals("CAPACITY", body.get("reason").getAsString());
            assertTrue(ids.size() <= 3, "more channels than max.channels: " + ids.size());
        } finally {
            deleteAll(ids);
        }
    }

    @Test
    void drainingIs503WithItsReason() throws Exception {
        relay.shell("relay:drain on");
        try {
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> statusOf("{\"user\": \"" + newUser() + "\"}") == 503));
            JsonObject body = assertError(post("{\"user\": \"" + newUser() + "\"}"), 503, "unavailable");
            assertEquals("DRAINING", body.get("reason").getAsString());
        } finally {
            relay.shell("relay:drain off");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> !draining()));
        }
    }

    @Test
    void withATokenInEtcTheApiWantsTheBearer() throws Exception {
        relay.edit("relay.http", "token", "s3cret-token-0123456789");
        try {
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> statusOfStats(null) == 401),
                    "the token edit did not take effect");
            HttpResponse<String> none = relay.get("/relay/stats");
            assertError(none, 401, "unauthorized");
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, statusOfStats("Bearer wrong"));
            assertEquals(200, statusOfStats("Bearer s3cret-token-0123456789"));
            HttpResponse<String> denied = relay.send(relay.request("/relay/channels")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + newUser() + "\"}")).build());
            assertError(denied, 401, "unauthorized");
        } finally {
            relay.edit("relay.http", "token", "");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> statusOfStats(null) == 200));
        }
    }

    @Test
    void oneKeepAliveConnectionServesManyRequests() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.httpPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String body = "{\"user\": \"" + newUser() + "\"}";
            RawResponse created = exchange(out, in, "POST /relay/channels HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(201, created.status, created.body);
            String id = JsonParser.parseString(created.body).getAsJsonObject().get("id").getAsString();
            assertEquals(200, exchange(out, in, "GET /relay/channels/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status);
            assertEquals(404, exchange(out, in, "GET /relay/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status);
            assertEquals(400, exchange(out, in, "POST /relay/channels HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1\r\n\r\n{").status);
            assertEquals(204, exchange(out, in, "DELETE /relay/channels/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status);
            assertEquals(200, exchange(out, in, "GET /relay/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status);
        }
    }

    @Test
    void noRequestGetsA500OrAStackTrace() throws Exception {
        String[][] requests = {
            {"GET", "/relay/channels/%00"}, {"GET", "/relay/channels/" + "x".repeat(5000)}, {"OPTIONS", "/relay/channels"},
            {"HEAD", "/relay/stats"}, {"PATCH", "/relay/channels/abc"}, {"DELETE", "/relay/channels"},
            {"GET", "/relay/channels?user="}, {"GET", "/relay/channels?user=%ZZ"}, {"POST", "/relay/channels"},
            {"TRACE", "/relay/stats"}, {"GET", "/relay/../relay/stats"}, {"GET", "/relay/channels/%2e%2e/stats"},
        };
        for (String[] m : requests) {
            HttpResponse<String> r;
            HttpRequest request;
            try {
                request = relay.request(m[1]).method(m[0], m[0].equals("POST")
                        ? HttpRequest.BodyPublishers.ofString("\u0000\u00ff{\"user\"") : HttpRequest.BodyPublishers.noBody()).build();
            } catch (IllegalArgumentException e) {
                continue; // the client itself refuses to send it
            }
            r = relay.send(request);
            String what = m[0] + " " + m[1];
            assertNotEquals(500, r.statusCode(), what);
            assertTrue(r.statusCode() < 500 || r.statusCode() == 503, what + " -> " + r.statusCode());
            String lower = r.body().toLowerCase(Locale.ROOT);
            assertFalse(lower.contains("exception") || lower.contains("\tat "), what + " leaked: " + r.body());
        }
    }

    @Test
    void errorsTheApiSeesAreItsJsonNeverJettysPage() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.httpPort)) {
            socket.setSoTimeout(10_000);
            RawResponse r = exchange(socket.getOutputStream(), new BufferedInputStream(socket.getInputStream()),
                    "GET /relay/channels?user=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(400, r.status, r.body); // Jetty's own parameter parsing answered 500 with a page
            assertEquals("invalid_query", JsonParser.parseString(r.body).getAsJsonObject().get("error").getAsString());
        }
        assertError(relay.send(relay.request("/relay/channels").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + newUser() + "\"}")).build()), 415, "unsupported_media_type");
        assertError(post("{\"user\": \"" + newUser() + "\", \"user\": \"" + newUser() + "\"}"), 400, "invalid_json");
        assertError(post("{\"user\": \"" + newUser() + "\", \"peerB\": \"[2001:db8::1\"}"), 400, "invalid_peer");
        HttpResponse<String> withPeers = post("{\"user\": \"" + newUser() + "\", \"peerA\": \"127.0.0.1:4000\", \"peerB\": \"[::1]:4000\"}");
        assertEquals(201, withPeers.statusCode(), withPeers.body());
        JsonObject ch = JsonParser.parseString(withPeers.body()).getAsJsonObject();
        assertTrue(ch.has("expectedPeerA") && ch.has("expectedPeerB"), withPeers.body());
        deleteAll(List.of(ch.get("id").getAsString()));
        JsonObject stats = JsonParser.parseString(relay.get("/relay/stats").body()).getAsJsonObject();
        for (String key : new String[] {"effectiveCapacity", "listenerDrops", "authFailures"}) {
            assertTrue(stats.has(key), key + " missing: " + stats);
        }
        // whatever reaches the API is answered in JSON, whatever the method or the path
        String[][] requests = {
            {"GET", "/relay/channels/" + "x".repeat(5000)}, {"OPTIONS", "/relay/channels"}, {"PATCH", "/relay/channels/abc"},
            {"DELETE", "/relay/channels"}, {"TRACE", "/relay/stats"}, {"GET", "/relay/channels?user=%C3%28"},
            {"GET", "/relay/channels?user=a%40example.com&user=b%40example.com"}, {"GET", "/nothing"},
        };
        for (String[] m : requests) {
            HttpResponse<String> r;
            try {
                r = relay.send(relay.request(m[1]).method(m[0], HttpRequest.BodyPublishers.noBody()).build());
            } catch (IllegalArgumentException e) {
                continue; // the client itself refuses to send it
            }
            String what = m[0] + " " + m[1].substring(0, Math.min(m[1].length(), 60));
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, what + " -> " + r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), what + ": " + r.body());
            assertFalse(lowerCaseBody(r).contains("<html"), what + " answered with a page: " + r.body());
        }
    }

    @Test
    void aRebindingHostIsRefusedWithoutAToken() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.httpPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            RawResponse r = exchange(out, in, "GET /relay/stats HTTP/1.1\r\nHost: rebind.evil.example:" + relay.httpPort + "\r\n\r\n");
            assertEquals(403, r.status, r.body);
            assertEquals("forbidden_host", JsonParser.parseString(r.body).getAsJsonObject().get("error").getAsString());
        }
    }

    private static String lowerCaseBody(HttpResponse<String> r) {
        return r.body().toLowerCase(Locale.ROOT);
    }

    private static long allocatedSoFar() throws IOException {
        return JsonParser.parseString(relay.get("/relay/stats").body()).getAsJsonObject().get("allocated").getAsLong();
    }

    private static boolean draining() {
        try {
            return JsonParser.parseString(relay.get("/relay/stats").body()).getAsJsonObject().get("draining").getAsBoolean();
        } catch (IOException e) {
            return true;
        }
    }

    private static int statusOf(String body) {
        try {
            return post(body).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static int statusOfStats(String authorization) {
        try {
            HttpRequest.Builder b = relay.request("/relay/stats").GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            return relay.send(b.build()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private record RawResponse(int status, String body) {
    }

    /** Writes one request and reads one response (status line, headers, Content-Length body) off the same connection. */
    private static RawResponse exchange(OutputStream out, InputStream in, String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            assertFalse(h.equalsIgnoreCase("Connection: close"), "the server closes the connection: " + status);
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new RawResponse(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
