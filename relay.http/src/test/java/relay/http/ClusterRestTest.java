package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.cluster.ClusterNode;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Poll;

/**
 * Three relay nodes a, b and c, each a real relay core and the real REST servlet on a real Jetty
 * on loopback (relay ports 26700-26999), each with a {@link TestCluster} that knows the other
 * two by their real REST URLs and finds channels in their real cores. Every request is real HTTP.
 */
class ClusterRestTest {

    private static final String TOKEN = RestApiTest.TOKEN;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<RestNode> fleet = new CopyOnWriteArrayList<>();
    private final Map<String, TestCluster> clusters = new HashMap<>();
    private RestNode a;
    private RestNode b;
    private RestNode c;

    /** What a node answered. */
    record Answer(int status, String body, HttpHeaders headers) {
        JsonObject object() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        JsonArray array() {
            return JsonParser.parseString(body).getAsJsonArray();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @BeforeEach
    void start() throws Exception {
        a = node("a", "127.0.0.1", 26700);
        b = node("b", "127.0.0.2", 26800);
        c = node("c", "127.0.0.3", 26900);
    }

    private RestNode node(String id, String publicAddress, int portMin) throws Exception {
        RestNode node = RestNode.start(id, publicAddress, portMin, TOKEN);
        fleet.add(node);
        TestCluster cluster = new TestCluster(id, fleet);
        clusters.put(id, cluster);
        node.servlet().bindCluster(cluster);
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        for (RestNode node : fleet) {
            node.close();
        }
    }

    private TestCluster cluster(RestNode node) {
        return clusters.get(node.id());
    }

    private static Answer send(String method, URI uri, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    private static Answer get(RestNode node, String path) throws Exception {
        return send("GET", node.at(path), null, "Authorization", "Bearer " + TOKEN);
    }

    private static Answer delete(RestNode node, String path) throws Exception {
        return send("DELETE", node.at(path), null, "Authorization", "Bearer " + TOKEN);
    }

    private static Answer post(RestNode node, String json) throws Exception {
        return send("POST", node.at("/relay/channels"), json, "Authorization", "Bearer " + TOKEN);
    }

    /** Allocates on {@code node} itself (its placement is local unless a test changed it). */
    private static String allocate(RestNode node, String user) throws Exception {
        Answer r = post(node, "{\"user\": \"" + user + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.object().get("id").getAsString();
    }

    private static void assertError(Answer r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        JsonObject body = r.object();
        assertEquals(error, body.get("error").getAsString(), r.body());
        for (String key : new String[] {"reason", "policy", "message"}) {
            assertTrue(body.has(key), key + " missing in " + r.body());
        }
        assertFalse(body.get("message").getAsString().isBlank());
    }

    @Test
    void aChannelOnAnotherNodeIsReadAndDeletedThroughAnyNode() throws Exception {
        String id = allocate(b, "alice@example.com");
        assertTrue(a.core().channel(id).isEmpty());

        Answer seen = get(a, "/relay/channels/" + id);
        assertEquals(200, seen.status(), seen.body());
        assertEquals(id, seen.object().get("id").getAsString());
        assertEquals("127.0.0.2", seen.object().get("host").getAsString(), "b's channel, as b describes it");
        assertEquals(b.core().channel(id).orElseThrow().portA(), seen.object().get("portA").getAsInt());
        assertTrue(seen.header("Content-Type").startsWith("application/json"), seen.header("Content-Type"));

        Answer deleted = delete(c, "/relay/channels/" + id);
        assertEquals(204, deleted.status(), deleted.body());
        assertTrue(b.core().channel(id).isEmpty(), "deleted on its owner");

        assertError(get(a, "/relay/channels/" + id), 404, "not_found");
        assertError(delete(a, "/relay/channels/" + id), 404, "not_found");
        assertError(get(a, "/relay/channels/no-such-channel"), 404, "not_found");
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        // A directory gone wrong: a thinks b holds "ghost", b thinks a does. Without the guard they would ping-pong.
        cluster(a).claim("ghost", "b");
        cluster(b).claim("ghost", "a");
        assertError(get(a, "/relay/channels/ghost"), 404, "not_found");
        assertError(delete(a, "/relay/channels/ghost"), 404, "not_found");
        assertEquals(2, cluster(a).ownerQueries());
        assertEquals(0, cluster(b).ownerQueries(), "b answered the forwarded requests itself");

        // A request that says it was forwarded is answered where it lands, even for a channel elsewhere.
        String id = allocate(b, "alice@example.com");
        Answer r = send("GET", a.at("/relay/channels/" + id), null, "Authorization", "Bearer " + TOKEN,
                ClusterCalls.FORWARDED_BY, "c");
        assertError(r, 404, "not_found");
        assertEquals(2, cluster(a).ownerQueries(), "not even looked up");
        assertEquals(204, send("DELETE", b.at("/relay/channels/" + id), null, "Authorization", "Bearer " + TOKEN,
                ClusterCalls.FORWARDED_BY, "c").status(), "the owner itself still serves it");
    }

    @Test
    void anOwnerThatDoesNotAnswerIs502NamingIt() throws Exception {
        String id = allocate(b, "alice@example.com");
        b.stopHttp();
        for (Answer r : List.of(get(a, "/relay/channels/" + id), delete(a, "/relay/channels/" + id))) {
            assertError(r, 502, "owner_unreachable");
            assertEquals("b", r.object().get("node").getAsString());
            assertTrue(r.object().get("message").getAsString().contains(b.url().toString()), r.body());
        }
        assertTrue(b.core().channel(id).isPresent(), "nothing happened to the channel");
    }

    @Test
    void anOwnerThatAcceptsButNeverAnswersIs502AfterTheRequestTimeout() throws Exception {
        // A listener whose backlog takes the connection and that never reads it: a hung node.
        try (ServerSocket hung = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ClusterNode silent = ClusterNode.builder().id("hung")
                    .publicAddress("127.0.0.9").restUrl(URI.create("http://127.0.0.1:" + hung.getLocalPort()))
                    .liveChannels(0).freePorts(100).capacity(50)
                    .busyRatio(0).heartbeat(Instant.now()).local(false).build();
            cluster(a).claim("stuck", silent);
            Answer r = get(a, "/relay/channels/stuck");
            assertError(r, 502, "owner_unreachable");
            assertEquals("hung", r.object().get("node").getAsString());
            assertTrue(r.object().get("message").getAsString().contains("no answer within"), r.body());
        }
    }

    @Test
    void theOwnerGetsTheCallersRequestMarkedWithThisNodeAndItsAnswerComesBackAsItIs() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        Object[] next = {200, "application/json;charset=utf-8", "{\"id\":\"x y\",\"host\":\"192.0.2.99\"}", null};
        HttpServer owner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        owner.createContext("/", exchange -> {
            seen.add(Map.of("method", exchange.getRequestMethod(), "path", exchange.getRequestURI().getRawPath(),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "forwardedBy", String.valueOf(exchange.getRequestHeaders().getFirst(ClusterCalls.FORWARDED_BY))));
            byte[] body = ((String) next[2]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", (String) next[1]);
            if (next[3] != null) {
                exchange.getResponseHeaders().set("Retry-After", (String) next[3]);
            }
            exchange.sendResponseHeaders((int) next[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        owner.start();
        try {
            ClusterNode other = ClusterNode.builder().id("d")
                    .publicAddress("192.0.2.99").restUrl(URI.create("http://127.0.0.1:" + owner.getAddress().getPort() + "/"))
                    .liveChannels(1).freePorts(100).capacity(50)
                    .busyRatio(0).heartbeat(Instant.now()).local(false).build();
            cluster(a).claim("x y", other);

            Answer r = get(a, "/relay/channels/x%20y");
            assertEquals(200, r.status(), r.body());
            assertEquals("{\"id\":\"x y\",\"host\":\"192.0.2.99\"}", r.body());
            assertEquals(Map.of("method", "GET", "path", "/relay/channels/x%20y", "authorization", "Bearer " + TOKEN,
                    "forwardedBy", "a"), seen.get(0));

            next[0] = 429;
            next[2] = "{\"error\":\"too_many_requests\",\"reason\":null,\"policy\":null,\"message\":\"later\",\"retryAfter\":7}";
            next[3] = "7";
            Answer later = delete(a, "/relay/channels/x%20y");
            assertError(later, 429, "too_many_requests");
            assertEquals("7", later.header("Retry-After"));
            assertEquals("DELETE", seen.get(1).get("method"));

            next[3] = null;
            for (Object[] foreign : new Object[][] {{500, "application/json", "{}"}, {200, "text/html", "<html></html>"},
                    {302, "application/json", "{}"}}) {
                next[0] = foreign[0];
                next[1] = foreign[1];
                next[2] = foreign[2];
                Answer bad = get(a, "/relay/channels/x%20y");
                assertError(bad, 502, "owner_unreachable");
                assertEquals("d", bad.object().get("node").getAsString());
            }
        } finally {
            owner.stop(0);
        }
    }

    @Test
    void clusterListingHasEveryNodesChannelsAndNamesTheSilentOnes() throws Exception {
        String onA = allocate(a, "alice@example.com");
        String aliceOnB = allocate(b, "alice@example.com");
        String bobOnB = allocate(b, "bob@example.com");
        allocate(c, "carol@example.com");
        c.stopHttp();

        Answer r = get(a, "/relay/channels?cluster=true");
        assertEquals(200, r.status(), r.body());
        JsonObject listing = r.object();
        assertEquals("a", listing.get("local").getAsString());
        Map<String, String> nodeOf = new HashMap<>();
        for (JsonElement e : listing.getAsJsonArray("channels")) {
            nodeOf.put(e.getAsJsonObject().get("id").getAsString(), e.getAsJsonObject().get("node").getAsString());
        }
        assertEquals(Map.of(onA, "a", aliceOnB, "b", bobOnB, "b"), nodeOf);
        assertEquals(List.of("c"), strings(listing.getAsJsonArray("unreachable")));

        // Each channel is the object GET /relay/channels/{id} answers, plus "node".
        JsonObject fromB = find(listing.getAsJsonArray("channels"), bobOnB);
        JsonObject direct = get(b, "/relay/channels/" + bobOnB).object();
        Set<String> keys = new HashSet<>(direct.keySet());
        keys.add("node");
        assertEquals(keys, fromB.keySet());
        assertEquals(direct.get("portB"), fromB.get("portB"));
        assertEquals("127.0.0.2", fromB.get("host").getAsString());

        Answer bobs = get(a, "/relay/channels?cluster=true&user=bob%40example.com");
        assertEquals(200, bobs.status(), bobs.body());
        assertEquals(List.of(bobOnB), ids(bobs.object().getAsJsonArray("channels")));

        // Without ?cluster=true, the listing is this node's, in today's shape: an array without "node".
        JsonArray plain = get(a, "/relay/channels").array();
        assertEquals(List.of(onA), ids(plain));
        assertFalse(plain.get(0).getAsJsonObject().has("node"));
        assertEquals(List.of(onA), ids(get(a, "/relay/channels?cluster=false").array()));
        assertError(get(a, "/relay/channels?cluster=yes"), 400, "invalid_query");
    }

    @Test
    void aForwardedListingListsOnlyTheNodeItLandsOn() throws Exception {
        allocate(a, "alice@example.com");
        String onB = allocate(b, "bob@example.com");
        Answer r = send("GET", b.at("/relay/channels?cluster=true"), null, "Authorization", "Bearer " + TOKEN,
                ClusterCalls.FORWARDED_BY, "a");
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of(onB), ids(r.object().getAsJsonArray("channels")));
        assertEquals(0, r.object().getAsJsonArray("unreachable").size());
    }

    @Test
    void placementForwardsAnAllocationToTheChosenNode() throws Exception {
        cluster(a).placeOn("b");
        Answer r = post(a, "{\"user\": \"alice@example.com\", \"peerA\": \"127.0.0.1:4000\"}");
        assertEquals(201, r.status(), r.body());
        String id = r.object().get("id").getAsString();
        assertEquals("127.0.0.2", r.object().get("host").getAsString(), "b's public address");
        assertEquals("/relay/channels/" + id, r.header("Location"));
        assertTrue(b.core().channel(id).isPresent());
        assertEquals(0, a.core().channels().size());
        assertEquals("alice@example.com", b.core().channel(id).orElseThrow().owner().toString());

        // A bad request is refused where it arrives: nothing reaches b.
        assertError(post(a, "{\"user\": 7}"), 400, "invalid_user");
        assertEquals(415, send("POST", a.at("/relay/channels"), null, "Authorization", "Bearer " + TOKEN).status());
        assertEquals(1, b.core().channels().size());

        // An allocation forwarded to a is made on a, whatever a's placement says.
        Answer forwarded = send("POST", a.at("/relay/channels"), "{\"user\": \"bob@example.com\"}",
                "Authorization", "Bearer " + TOKEN, ClusterCalls.FORWARDED_BY, "c");
        assertEquals(201, forwarded.status(), forwarded.body());
        assertEquals("127.0.0.1", forwarded.object().get("host").getAsString());
        assertEquals(1, a.core().channels().size());
        assertEquals(List.of(), a.log().messages(Level.WARNING));
    }

    @Test
    void placementOnANodeThatDoesNotAnswerAllocatesHereAndLogsOneLine() throws Exception {
        cluster(a).placeOn("c");
        c.stopHttp();
        Answer r = post(a, "{\"user\": \"alice@example.com\"}");
        assertEquals(201, r.status(), r.body());
        String id = r.object().get("id").getAsString();
        assertEquals("127.0.0.1", r.object().get("host").getAsString(), "a's own public address");
        assertTrue(a.core().channel(id).isPresent());
        assertEquals(0, c.core().channels().size());
        List<String> warnings = a.log().messages(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("node c") && warnings.get(0).contains("allocating on this node"), warnings.get(0));
    }

    @Test
    void aPlacedAllocationWhoseAnswerCannotBeDeliveredIsDeletedOnItsNode() throws Exception {
        // The API as a's servlet runs it, called directly so that its answer can be dropped as a gone client's is.
        try (CapturedLog log = new CapturedLog("relay.http.direct")) {
            RestApi api = new RestApi(log.logger());
            api.useRelay(a.core());
            api.useToken(TOKEN);
            api.useCluster(cluster(a));
            cluster(a).placeOn("b");
            ApiResponse r = Call.allocate("{\"user\": \"alice@example.com\"}").bearer(TOKEN).on(api);
            assertEquals(201, r.status(), r.body());
            String id = JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString();
            assertTrue(b.core().channel(id).isPresent());
            r.undo().run();
            Poll.until("the channel deleted on b", () -> b.core().channel(id).isEmpty());
            assertEquals(0, a.core().channels().size());
        }
    }

    @Test
    void aDenialOnTheChosenNodeIsRelayedAsItIs() throws Exception {
        b.core().drain(true);
        cluster(a).placeOn("b");
        Answer r = post(a, "{\"user\": \"alice@example.com\"}");
        assertError(r, 503, "unavailable");
        assertEquals("DRAINING", r.object().get("reason").getAsString());
        assertEquals(0, a.core().channels().size(), "a denial is an answer: nothing allocated here instead");
    }

    @Test
    void nodesListsTheLiveNodesWithTheirFigures() throws Exception {
        allocate(b, "alice@example.com");
        Answer r = get(a, "/relay/nodes");
        assertEquals(200, r.status(), r.body());
        JsonObject body = r.object();
        assertEquals("a", body.get("local").getAsString());
        assertTrue(body.get("available").getAsBoolean());
        JsonArray nodes = body.getAsJsonArray("nodes");
        assertEquals(List.of("a", "b", "c"), ids(nodes));
        JsonObject nodeB = nodes.get(1).getAsJsonObject();
        assertEquals(Set.of("id", "publicAddress", "restUrl", "liveChannels", "freePorts", "capacity", "spare", "busyRatio",
                "heartbeat", "local"), nodeB.keySet());
        assertEquals("127.0.0.2", nodeB.get("publicAddress").getAsString());
        assertEquals(b.url().toString(), nodeB.get("restUrl").getAsString());
        assertEquals(1, nodeB.get("liveChannels").getAsInt());
        assertEquals(b.core().stats().portsFree(), nodeB.get("freePorts").getAsInt());
        assertEquals(b.core().stats().effectiveCapacity(), nodeB.get("capacity").getAsInt());
        int spare = Math.min(nodeB.get("capacity").getAsInt() - 1, nodeB.get("freePorts").getAsInt() / 2);
        assertEquals(Math.max(0, spare), nodeB.get("spare").getAsInt());
        assertNotNull(Instant.parse(nodeB.get("heartbeat").getAsString()));
        assertFalse(nodeB.get("local").getAsBoolean());
        assertTrue(nodes.get(0).getAsJsonObject().get("local").getAsBoolean());

        Answer wrong = send("POST", a.at("/relay/nodes"), "{}", "Authorization", "Bearer " + TOKEN);
        assertError(wrong, 405, "method_not_allowed");
        assertEquals("GET", wrong.header("Allow"));
        assertError(send("GET", a.at("/relay/nodes"), null), 401, "unauthorized");
    }

    @Test
    void withoutAClusterServiceTheNodeRunsAloneAsBefore() throws Exception {
        String onA = allocate(a, "alice@example.com");
        String onB = allocate(b, "bob@example.com");
        cluster(a).placeOn("b");
        a.servlet().unbindCluster(cluster(a));

        Answer nodes = get(a, "/relay/nodes");
        assertError(nodes, 404, "not_found");
        assertTrue(nodes.object().get("message").getAsString().contains("runs alone"), nodes.body());
        assertTrue(nodes.object().get("message").getAsString().contains("relay.cluster"), nodes.body());

        Answer listing = get(a, "/relay/channels?cluster=true");
        assertEquals(200, listing.status(), listing.body());
        assertTrue(listing.object().get("local").isJsonNull());
        assertEquals(List.of(onA), ids(listing.object().getAsJsonArray("channels")));
        assertEquals(0, listing.object().getAsJsonArray("unreachable").size());

        assertError(get(a, "/relay/channels/" + onB), 404, "not_found");
        assertEquals(0, cluster(a).ownerQueries(), "no directory is asked");
        Answer here = post(a, "{\"user\": \"carol@example.com\"}");
        assertEquals(201, here.status(), here.body());
        assertEquals("127.0.0.1", here.object().get("host").getAsString(), "placement is not asked: allocated here");
    }

    @Test
    void anotherClusterServiceTakingThePlaceOfTheFirstStays() throws Exception {
        TestCluster first = cluster(a);
        TestCluster second = new TestCluster("a", fleet);
        a.servlet().bindCluster(second); // greedy: the better service is bound before the first is unbound
        a.servlet().unbindCluster(first);
        assertEquals(200, get(a, "/relay/nodes").status());
    }

    @Test
    void theTokenIsCheckedWhereTheRequestArrivesAndWhereItIsForwarded() throws Exception {
        String id = allocate(b, "alice@example.com");
        assertError(send("GET", a.at("/relay/channels/" + id), null), 401, "unauthorized");
        assertError(send("DELETE", a.at("/relay/channels/" + id), null, "Authorization", "Bearer wrong-token-wrong-token"),
                401, "unauthorized");
        assertError(send("GET", a.at("/relay/channels?cluster=true"), null), 401, "unauthorized");
        assertEquals(0, cluster(a).ownerQueries(), "a refused before asking the directory");
        assertTrue(b.core().channel(id).isPresent());

        // b now wants another token: a passes the caller's on, and b's refusal comes back as it is.
        b.servlet().modified(ComponentConfig.of(HttpConfig.class, Map.of("token", "another-token-of-b")));
        Answer refused = get(a, "/relay/channels/" + id);
        assertError(refused, 401, "unauthorized");
        assertEquals("Bearer realm=\"relay\"", refused.header("WWW-Authenticate"));
        assertError(delete(a, "/relay/channels/" + id), 401, "unauthorized");
        assertTrue(b.core().channel(id).isPresent());
        JsonObject listing = get(a, "/relay/channels?cluster=true").object();
        assertEquals(List.of("b"), strings(listing.getAsJsonArray("unreachable")), "b did not list its channels");

        Answer withB = send("GET", a.at("/relay/channels/" + id), null, "Authorization", "Bearer another-token-of-b");
        assertError(withB, 401, "unauthorized"); // a's own token is still the one a takes
    }

    @Test
    void withoutTokensNodesOnOneHostForwardOverLoopback() throws Exception {
        for (RestNode node : fleet) {
            node.servlet().modified(ComponentConfig.of(HttpConfig.class, Map.of("token", "")));
        }
        String id = allocate(b, "alice@example.com");
        assertEquals(200, send("GET", a.at("/relay/channels/" + id), null).status());
        cluster(a).placeOn("c");
        Answer placed = send("POST", a.at("/relay/channels"), "{\"user\": \"bob@example.com\"}");
        assertEquals(201, placed.status(), placed.body());
        assertEquals("127.0.0.3", placed.object().get("host").getAsString());
        assertEquals(204, send("DELETE", a.at("/relay/channels/" + id), null).status());
        assertTrue(b.core().channels().isEmpty());
    }

    private static JsonObject find(JsonArray channels, String id) {
        for (JsonElement e : channels) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(id + " not in " + channels);
    }

    private static List<String> ids(JsonArray array) {
        List<String> ids = new ArrayList<>();
        for (JsonElement e : array) {
            ids.add(e.getAsJsonObject().get("id").getAsString());
        }
        return ids;
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
