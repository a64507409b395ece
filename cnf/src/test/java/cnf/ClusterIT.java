package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.testing.TestRedis;

/**
 * Three relay.jar processes and one Redis, as an operator runs a cluster on one machine: REST
 * ports 18620-18624, media ports 30000-30999, heartbeat 1 s, keys under a prefix of this test.
 */
class ClusterIT {

    private final String prefix = TestRedis.newPrefix();
    private final List<RelayProcess> nodes = new ArrayList<>();
    private URI redis = TestRedis.URI_;

    @BeforeAll
    static void redisAnswers() {
        TestRedis.requireReachable();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (RelayProcess n : nodes) {
            n.close();
        }
        TestRedis.clean(redis, prefix);
    }

    /** Starts node {@code i} (REST 18620 + i, media ports 30000 + 200 i ...) with the given relay.cluster edits. */
    private RelayProcess node(int i, String... clusterKeyValues) throws Exception {
        List<String> edits = new ArrayList<>(List.of(
                "relay.core", "port.min", Integer.toString(30000 + 200 * i),
                "relay.core", "port.max", Integer.toString(30199 + 200 * i),
                "relay.cluster", "redis.uri", redis.toString(),
                "relay.cluster", "key.prefix", prefix,
                "relay.cluster", "node.id", "node" + i,
                "relay.cluster", "heartbeat.seconds", "1"));
        for (int k = 0; k < clusterKeyValues.length; k += 2) {
            edits.addAll(List.of("relay.cluster", clusterKeyValues[k], clusterKeyValues[k + 1]));
        }
        RelayProcess n = RelayProcess.prepare("cluster-" + i, 18620 + i, edits.toArray(String[]::new));
        nodes.add(n);
        n.start(false);
        // the cluster component joins a moment after the REST API answers
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(30), () -> nodesListed(n) > 0),
                () -> "node" + i + " never joined:\n" + n.console());
        return n;
    }

    private static int nodesListed(RelayProcess n) {
        try {
            HttpResponse<String> r = n.get("/relay/nodes");
            return r.statusCode() == 200 ? json(r).getAsJsonArray("nodes").size() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static HttpResponse<String> allocate(RelayProcess n, String user) throws Exception {
        return n.post("/relay/channels", "{\"user\": \"" + user + "\"}");
    }

    @Test
    void fiftyConcurrentRequestsOverThreeNodesGiveExactlyFourChannels() throws Exception {
        for (int i = 0; i < 3; i++) {
            node(i);
        }
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> nodesListed(nodes.get(0)) == 3));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RelayProcess n = nodes.get(i % 3);
            answers.add(pool.submit(() -> {
                go.await();
                return allocate(n, "alice@example.com");
            }));
        }
        go.countDown();
        int created = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(403, r.statusCode(), r.body());
                assertEquals("quota", json(r).get("policy").getAsString(), r.body());
            }
        }
        pool.shutdown();
        assertEquals(4, created, "the default quota, 4 per user, over the whole cluster");
        JsonObject all = json(nodes.get(1).get("/relay/channels?cluster=true"));
        assertEquals(4, all.getAsJsonArray("channels").size(), all.toString());
    }

    @Test
    void anyNodeAnswersForAndDestroysAChannelOfAnother() throws Exception {
        RelayProcess a = node(0);
        RelayProcess b = node(1);
        JsonObject ch = json(allocate(a, "bob@example.com"));
        String id = ch.get("id").getAsString();
        HttpResponse<String> onB = b.get("/relay/channels/" + id);
        assertEquals(200, onB.statusCode(), onB.body());
        assertEquals(id, json(onB).get("id").getAsString());
        assertEquals(204, b.delete("/relay/channels/" + id).statusCode());
        assertEquals(404, a.get("/relay/channels/" + id).statusCode(), "the owner destroyed it");
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> status(b, "/relay/channels/" + id) == 404));
    }

    @Test
    void leastLoadedPlacementAllocatesOnTheNodeWithTheMostSpareCapacity() throws Exception {
        RelayProcess a = node(0, "placement", "least-loaded");
        RelayProcess b = node(1, "placement", "least-loaded");
        node(2, "placement", "local");
        for (String user : List.of("u1@example.com", "u2@example.com")) {
            assertEquals(201, allocate(nodes.get(2), user).statusCode()); // placement local: on node2
        }
        assertEquals(201, allocate(b, "u3@example.com").statusCode()); // node0 is emptiest: there
        assertEquals(201, allocate(b, "u4@example.com").statusCode()); // node0 and node1 tie with 1 and 0: node1
        String placed = json(allocate(a, "u5@example.com")).get("id").getAsString();
        JsonObject listed = json(a.get("/relay/channels?cluster=true"));
        String where = null;
        for (JsonElement e : listed.getAsJsonArray("channels")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(placed)) {
                where = e.getAsJsonObject().get("node").getAsString();
            }
        }
        int[] perNode = new int[3];
        for (JsonElement e : listed.getAsJsonArray("channels")) {
            perNode[e.getAsJsonObject().get("node").getAsString().charAt(4) - '0']++;
        }
        assertEquals(2, perNode[2], listed.toString());
        assertTrue(perNode[0] <= 2 && perNode[1] <= 2 && perNode[0] + perNode[1] == 3, "spread: " + listed);
        assertTrue(where != null && !where.equals("node2"), "u5 went to " + where + ", not the fullest node");
    }

    @Test
    void aKilledNodeLeavesTheDirectoryAndFreesItsUsersQuotaWithinThreeHeartbeats() throws Exception {
        RelayProcess a = node(0);
        RelayProcess b = node(1);
        List<String> onB = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            onB.add(json(allocate(b, "carol@example.com")).get("id").getAsString());
        }
        assertEquals("quota", json(allocate(a, "carol@example.com")).get("policy").getAsString());
        b.kill();
        long killed = System.nanoTime();
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> status(a, "/relay/channels/" + onB.get(0)) == 404),
                "node1's channels left the directory");
        assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> nodesListed(a) == 1));
        assertEquals(201, allocate(a, "carol@example.com").statusCode(), "carol's quota is free again");
        long seconds = Duration.ofNanos(System.nanoTime() - killed).toSeconds();
        assertTrue(seconds <= 5, "took " + seconds + " s, more than 3 heartbeats of 1 s and a sweep");
    }

    @Test
    void redisDownDeniesNewChannelsKeepsMediaFlowingAndRecoversByItself() throws Exception {
        try (TestRedis.Private own = new TestRedis.Private()) {
            redis = own.uri();
            RelayProcess a = node(3);
            RelayProcess b = node(4);
            JsonObject ch = json(allocate(a, "dave@example.com"));
            int portA = ch.get("portA").getAsInt();
            int portB = ch.get("portB").getAsInt();
            try (DatagramSocket pa = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                    DatagramSocket pb = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                pa.setSoTimeout(5000);
                pb.setSoTimeout(5000);
                send(pb, portB, "latch");
                String id = ch.get("id").getAsString();
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> a.latched(id, "B")), "B never latched");
                send(pa, portA, "before");
                assertEquals("before", receive(pb));

                own.stop();
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(10),
                        () -> deniedBy(a, "erin@example.com").equals("cluster")), "denied by policy cluster");
                HttpResponse<String> denied = allocate(b, "erin@example.com");
                assertEquals(403, denied.statusCode(), denied.body());
                assertTrue(json(denied).get("message").getAsString().contains("unreachable"), denied.body());
                send(pa, portA, "during");
                assertEquals("during", receive(pb), "live channels keep forwarding");

                own.start();
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(15),
                        () -> allocateQuietly(b, "erin@example.com") == 201), "allocations resume by themselves");
                // node3 writes its channels again on its first heartbeat that reaches Redis, which may
                // come after node4's first allocation
                String path = "/relay/channels/" + id;
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> status(b, path) == 200),
                        "node3 registered its live channel again: " + b.get(path).body());
                assertTrue(a.logFile().contains("is unreachable") || a.console().contains("is unreachable"));
            }
        }
    }

    private static int status(RelayProcess n, String path) {
        try {
            return n.get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int allocateQuietly(RelayProcess n, String user) {
        try {
            return allocate(n, user).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** @return the policy that denied the allocation, or "" */
    private static String deniedBy(RelayProcess n, String user) {
        try {
            HttpResponse<String> r = allocate(n, user);
            return r.statusCode() == 403 && json(r).has("policy") ? json(r).get("policy").getAsString() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static void send(DatagramSocket from, int port, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    private static String receive(DatagramSocket at) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        at.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
