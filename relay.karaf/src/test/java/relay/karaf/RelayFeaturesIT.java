package relay.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import relay.testing.Exposition;

/**
 * The relay's features repository in a real Apache Karaf 4.4, started as its own process from
 * the distribution on Maven Central, with the relay bundles of this build: what an operator
 * does at the Karaf console, and real UDP datagrams through the channels it allocates.
 */
class RelayFeaturesIT {

    private static final String VERSION = System.getProperty("project.version");
    private static final String FEATURES_URL = "mvn:relay/relay.karaf/" + VERSION + "/xml/features";
    /** Services come and go a moment after a bundle or a configuration changes. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Karaf's SSH, JMX and HTTP ports, and relay.http's own listener (set in its etc/ file). */
    private static final int[] TCP_PORTS = FreePorts.take(5);
    private static final KarafInstance.Ports KARAF_PORTS = new KarafInstance.Ports(TCP_PORTS[0], TCP_PORTS[1], TCP_PORTS[2], TCP_PORTS[3]);
    private static final int REST_PORT = TCP_PORTS[4];
    private static final String[] OPTIONAL_FEATURES = {"relay-xmpp", "relay-signal", "relay-policy-whitelist", "relay-policy-quota",
            "relay-http", "relay-cluster"};
    private static final Pattern CHANNEL_ROW = Pattern.compile("(?m)^([A-Za-z0-9_-]{16,})\\s{2,}\\S");

    private static KarafInstance karaf;
    private static KarafShell shell;
    private static KarafConsole console;

    @BeforeAll
    static void startKaraf() throws Exception {
        Path repo = Path.of(System.getProperty("karaf.repo"));
        publishFeatures(repo);
        karaf = KarafInstance.fresh(Path.of(System.getProperty("karaf.dist")), Path.of(System.getProperty("karaf.instance")),
                repo, KARAF_PORTS);
        // as an operator would: the relay's own etc/ file, which the feature's default must not override
        karaf.writeEtc("relay.core.cfg", "bind.address = 127.0.0.1\nport.min = 28000\nport.max = 28999\n");
        karaf.writeEtc("relay.http.cfg", "address = 127.0.0.1\nport = " + REST_PORT + "\n");
        karaf.start();
        shell = karaf.awaitShell(Duration.ofMinutes(3));
        shell.run("feature:repo-add " + FEATURES_URL);
        shell.run("feature:install relay");
        console = shell.console();
        // the shell component and the core are DS components: they register a moment after their bundles start
        awaitConsole("relay:stats", out -> out.contains("live channels"));
    }

    /** The descriptor goes where {@code mvn:relay/relay.karaf/<version>/xml/features} points. */
    private static void publishFeatures(Path repo) throws IOException {
        Path target = repo.resolve("relay/relay.karaf/" + VERSION + "/relay.karaf-" + VERSION + "-features.xml");
        Files.createDirectories(target.getParent());
        Files.copy(Path.of(System.getProperty("features.file")), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        if (console != null) {
            console.close();
        }
        try {
            if (karaf != null && karaf.started()) {
                karaf.stop(shell, Duration.ofSeconds(60));
                assertEquals(0, karaf.exitValue(), "Karaf's exit code");
            }
        } finally {
            if (shell != null) {
                shell.close();
            }
            if (karaf != null) {
                karaf.close();
            }
        }
    }

    /** Each test starts with feature relay alone, and no channel. */
    @AfterEach
    void uninstallFeaturesAndDestroyChannels() throws Exception {
        String installed = shell.run("feature:list -i");
        for (String feature : OPTIONAL_FEATURES) {
            if (installed.contains(feature)) {
                shell.run("feature:uninstall " + feature);
            }
        }
        awaitConsole("relay:policies", out -> out.contains("No policies"));
        Matcher m = CHANNEL_ROW.matcher(console.run("relay:channels"));
        while (m.find()) {
            console.run("relay:destroy " + m.group(1));
        }
        assertContains(console.run("relay:channels"), "No channels");
    }

    @Test
    void theFeaturesInstallResolveAndComeOffOneByOne() throws Exception {
        String features = shell.run("feature:list");
        for (String f : new String[] {"relay ", "relay-policy-whitelist", "relay-policy-quota", "relay-http"}) {
            assertTrue(features.contains(f), f + " is not in the repository:\n" + features);
        }
        assertStarted("relay");
        String bundles = shell.run("bundle:list -s");
        for (String b : new String[] {"relay.api", "relay.core", "relay.shell"}) {
            assertTrue(Pattern.compile("(?m)\\| Active \\|.*\\| " + Pattern.quote(b) + "\\s*$").matcher(bundles).find(),
                    b + " is not active:\n" + bundles);
        }
        // the operator's etc/relay.core.cfg, not the feature's default, is in force
        assertContains(shell.run("config:property-list -p relay.core"), "port.min = 28000");

        for (String[] policy : new String[][] {{"relay-policy-whitelist", "relay.policy.whitelist", "whitelist"},
                {"relay-policy-quota", "relay.policy.quota", "quota"}}) {
            shell.run("feature:install " + policy[0]);
            assertStarted(policy[0]);
            assertContains(shell.run("bundle:list -s"), policy[1]);
            awaitConsole("relay:policies", out -> out.contains(policy[2]));
            shell.run("feature:uninstall " + policy[0]);
            assertFalse(shell.run("bundle:list -s").contains(policy[1]), policy[1] + " stayed after uninstall");
            awaitConsole("relay:policies", out -> !out.contains(policy[2]));
            assertStarted("relay");
        }
    }

    @Test
    void anAllocatedChannelForwardsDatagramsBothWays() throws Exception {
        AllocatedChannel channel = AllocatedChannel.parse(console.run("relay:allocate alice@example.com"));
        assertEquals("127.0.0.1", channel.host());
        assertInRelayRange(channel.localport());
        assertInRelayRange(channel.remoteport());

        assertForwards(channel);

        String details = console.run("relay:channel " + channel.id());
        assertContains(details, "alice@example.com");
        assertContains(console.run("relay:channels alice@example.com"), channel.id());
        assertContains(console.run("relay:stats"), "live channels     1");
        assertContains(console.run("relay:destroy " + channel.id()), "Destroyed channel " + channel.id());
        assertFalse(console.run("relay:channels").contains(channel.id()));
    }

    @Test
    void featureRelayClusterJoinsRedisAndSharesTheQuota() throws Exception {
        // the machine's Redis, under a key prefix of this test's own
        String prefix = "relay-karaf-test:" + ProcessHandle.current().pid() + ":";
        shell.run("feature:install relay-policy-quota");
        shell.run("config:property-set -p relay.policy.quota max.channels.per.user 1");
        // as an operator would: the node's own configuration first, which the feature's default leaves alone
        shell.run("config:property-set -p relay.cluster key.prefix " + prefix);
        shell.run("config:property-set -p relay.cluster node.id karaf-node");
        shell.run("feature:install relay-cluster");
        assertStarted("relay-cluster");
        awaitConsole("relay:policies", out -> out.contains("node karaf-node, Redis answers"));
        AllocatedChannel first = AllocatedChannel.parse(console.run("relay:allocate dave@example.com"));
        assertContains(console.run("relay:allocate dave@example.com"), "on the cluster, the limit is 1");
        assertForwards(first);

        shell.run("feature:uninstall relay-cluster");
        awaitConsole("relay:policies", out -> !out.contains("cluster"));
        assertContains(console.run("relay:channels dave@example.com"), first.id()); // the node runs on alone
        // leave the configurations as the other tests expect them
        shell.run("config:delete relay.cluster");
        shell.run("config:property-set -p relay.policy.quota max.channels.per.user 4");
    }

    @Test
    void uninstallingTheQuotaFeatureLiftsTheQuotaAndLeavesLiveChannelsAlone() throws Exception {
        shell.run("feature:install relay-policy-quota");
        // the feature's default configuration is there: four channels per user
        assertContains(shell.run("config:property-list -p relay.policy.quota"), "max.channels.per.user = 4");
        shell.run("config:property-set -p relay.policy.quota max.channels.per.user 1");
        awaitConsole("relay:policies", out -> out.contains("channels per user: 1"));

        AllocatedChannel first = AllocatedChannel.parse(console.run("relay:allocate carol@example.com"));
        String denied = console.run("relay:allocate carol@example.com");
        assertContains(denied, "Denied by policy quota");

        shell.run("feature:uninstall relay-policy-quota");
        awaitConsole("relay:policies", out -> !out.contains("quota"));

        assertContains(console.run("relay:channels carol@example.com"), first.id()); // the live channel survived
        assertForwards(first);
        AllocatedChannel second = AllocatedChannel.parse(console.run("relay:allocate carol@example.com"));
        assertFalse(second.id().equals(first.id()));
    }

    @Test
    void settingTheWhitelistDomainsChangesTheNextDecision() throws Exception {
        shell.run("feature:install relay-policy-whitelist");
        awaitConsole("relay:policies", out -> out.contains("whitelist"));
        // the feature's default configuration: no domain, every request denied
        String denied = console.run("relay:allocate dave@example.com");
        assertContains(denied, "Denied by policy whitelist");

        shell.run("config:property-set -p relay.policy.whitelist domains example.com");
        awaitConsole("relay:policies", out -> out.contains("example.com"));
        AllocatedChannel allowed = AllocatedChannel.parse(console.run("relay:allocate dave@example.com"));
        String other = console.run("relay:allocate erin@example.org");
        assertContains(other, "Denied by policy whitelist");

        shell.run("config:property-set -p relay.policy.whitelist domains example.org");
        awaitConsole("relay:policies", out -> out.contains("example.org") && !out.contains("example.com"));
        AllocatedChannel.parse(console.run("relay:allocate erin@example.org"));
        denied = console.run("relay:allocate dave@example.com");
        assertContains(denied, "Denied by policy whitelist");
        // revoke is off by default: dave's live channel runs on
        assertForwards(allowed);
    }

    @Test
    void theRelayCommandsWorkAtTheKarafConsole() throws Exception {
        String stats = console.run("relay:stats");
        assertContains(stats, "live channels     0");
        assertContains(stats, "ports             1,000 free of 1,000");
        assertContains(console.run("relay:policies"), "No policies");

        assertContains(console.run("relay:drain on"), "Drain mode is on");
        String draining = console.run("relay:allocate frank@example.com");
        assertTrue(draining.contains("Denied") && !draining.contains("Allocated"), draining);
        assertContains(console.run("relay:drain"), "Drain mode is on");
        assertContains(console.run("relay:drain off"), "Drain mode is off");

        // bad input: one clear line, nothing done
        String bad = console.run("relay:allocate alice@");
        assertFalse(bad.contains("Allocated"), bad);
        assertContains(bad.toLowerCase(), "jid");
        assertContains(console.run("relay:channel nosuch"), "No channel with id 'nosuch'");
        assertContains(console.run("relay:drain maybe"), "'on' or 'off'");
        assertContains(console.run("relay:channels"), "No channels");

        // a one-shot SSH command (ssh karaf@host '...') prints no return value:
        // down a pipe the converter prints it, so scripts get the same text
        assertContains(shell.run("relay:stats | cat"), "live channels     0");
        assertContains(shell.run("relay:channel nosuch 2>&1 | cat"), "No channel with id 'nosuch'");
    }

    @Test
    void featureRelayHttpServesTheRestApiOnItsOwnListenerAndTakesItAway() throws Exception {
        assertFalse(KarafInstance.listening(REST_PORT), "port " + REST_PORT + " is taken by another process");
        shell.run("feature:install relay-http");
        assertStarted("relay-http");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + REST_PORT + "/relay";

        // the listener opens a moment after the bundles start
        HttpResponse<String> created = awaitHttp(http, HttpRequest.newBuilder(URI.create(base + "/channels"))
                .POST(BodyPublishers.ofString("{\"user\": \"heidi@example.com\"}"))
                .header("Content-Type", "application/json").build(), 201);
        AllocatedChannel channel = AllocatedChannel.fromJson(created.body());
        assertInRelayRange(channel.localport());
        assertForwards(channel);
        assertContains(console.run("relay:channels heidi@example.com"), channel.id());

        URI one = URI.create(base + "/channels/" + channel.id());
        assertEquals(200, http.send(HttpRequest.newBuilder(one).build(), BodyHandlers.ofString()).statusCode());
        assertEquals(204, http.send(HttpRequest.newBuilder(one).DELETE().build(), BodyHandlers.ofString()).statusCode());
        assertEquals(404, http.send(HttpRequest.newBuilder(one).build(), BodyHandlers.ofString()).statusCode());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/channels"))
                .POST(BodyPublishers.ofString("{\"user\": \"heidi@\"}")).header("Content-Type", "application/json").build(),
                BodyHandlers.ofString());
        assertEquals(400, bad.statusCode(), bad.body());

        // GET /metrics: Prometheus client_java resolved in Karaf, its JVM instrumentation included
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + REST_PORT + "/metrics"))
                .build(), BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        Exposition scrape = Exposition.parse(metrics.body(), Exposition.Format.PROMETHEUS);
        assertEquals(0, scrape.value("relay_channels_live"));
        assertTrue(scrape.value("relay_channels_allocated_total") >= 1);
        assertTrue(scrape.value("process_open_fds") > 0, "process metrics through com.sun.management");
        assertTrue(scrape.value("jvm_memory_used_bytes", "area", "heap") > 0);

        // Felix Jetty's default listener stays off: the API has the only one
        assertFalse(KarafInstance.listening(KARAF_PORTS.http()), "Felix Jetty's default listener is on");
        shell.run("feature:uninstall relay-http");
        Instant deadline = Instant.now().plus(SETTLE);
        while (KarafInstance.listening(REST_PORT)) {
            assertTrue(Instant.now().isBefore(deadline), "the API's listener stayed after feature:uninstall relay-http");
            Thread.sleep(250);
        }
    }

    @Test
    void featureRelaySignalServesWebSocketsOnTheApisListener() throws Exception {
        shell.run("feature:install relay-signal");
        assertStarted("relay-signal");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> issued = awaitHttp(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + REST_PORT
                + "/signal/tokens")).POST(BodyPublishers.ofString("{\"user\":\"ivan@example.com\",\"pools\":[\"k\"]}"))
                .header("Content-Type", "application/json").build(), 200);
        String token = com.google.gson.JsonParser.parseString(issued.body()).getAsJsonObject().get("token").getAsString();
        try (relay.testing.WsClient ws = relay.testing.WsClient.connect("ws://127.0.0.1:" + REST_PORT + "/signal")) {
            ws.send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
            assertContains(ws.await("welcome", f -> f.contains("\"welcome\"")), "ivan@example.com");
            ws.send("{\"type\":\"join\",\"id\":\"1\",\"pool\":\"k\"}");
            assertContains(ws.await("the join's ack", f -> f.contains("\"ack\"")), "\"peers\":[]");
            awaitConsole("signal:pools", out -> out.matches("(?s).*k\\s+1.*"));
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + REST_PORT
                    + "/metrics")).build(), BodyHandlers.ofString());
            assertEquals(1, Exposition.parse(metrics.body(), Exposition.Format.PROMETHEUS).value("signal_sessions"));
        }
        shell.run("feature:uninstall relay-signal");
        assertFalse(shell.run("bundle:list -s").contains("relay.signal"), "relay.signal stayed after uninstall");
    }

    @Test
    void featureRelayXmppIsOffUntilConfiguredThenJoinsItsServer() throws Exception {
        shell.run("feature:install relay-xmpp");
        assertStarted("relay-xmpp");
        awaitConsole("xmpp:status", out -> out.contains("the XMPP component is off"));
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) SETTLE.toMillis());
            shell.run("config:property-set -p relay.xmpp port " + server.getLocalPort());
            shell.run("config:property-set -p relay.xmpp domain relay.example.com");
            shell.run("config:property-set -p relay.xmpp reconnect.seconds 1");
            shell.run("config:property-set -p relay.xmpp secret karaf-it-secret");
            try (java.net.Socket s = server.accept()) {
                s.setSoTimeout((int) SETTLE.toMillis());
                byte[] header = new byte[512];
                int n = s.getInputStream().read(header);
                assertContains(new String(header, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.UTF_8),
                        "xmlns='jabber:component:accept'");
                awaitConsole("xmpp:status", out -> out.contains("127.0.0.1:" + server.getLocalPort()));
            }
        }
        assertFalse(karaf.karafLog().contains("karaf-it-secret"), "the secret is never logged");
        shell.run("config:delete relay.xmpp");
        shell.run("feature:uninstall relay-xmpp");
        assertFalse(shell.run("bundle:list -s").contains("relay.xmpp"), "relay.xmpp stayed after uninstall");
    }

    private static HttpResponse<String> awaitHttp(HttpClient http, HttpRequest request, int status) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(request, BodyHandlers.ofString());
                if (r.statusCode() == status) {
                    return r;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(request + " never answered " + status + "; last: " + last + "\n--- karaf.log ---\n" + karaf.karafLog());
    }

    private static void assertContains(String output, String expected) {
        assertTrue(output.contains(expected), "expected '" + expected + "' in:\n" + output);
    }

    private static void assertStarted(String feature) throws Exception {
        String installed = shell.run("feature:list -i");
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(feature) + "\\s+\\|.*\\|\\s*Started\\s*\\|").matcher(installed).find(),
                feature + " is not started:\n" + installed);
    }

    private static void assertInRelayRange(int port) {
        assertTrue(port >= 28000 && port <= 28999, "port " + port + " is outside relay.core.cfg's range");
    }

    /**
     * Sends real datagrams through the channel, each way, and checks that each arrives from the
     * relay's far port. The first datagram of B only latches side B (side A has no peer yet).
     */
    private static void assertForwards(AllocatedChannel channel) throws IOException {
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            b.send(channel.sideB(), "latch B");
            relay(a, channel.sideA(), b, channel.remoteport(), "A to B via " + channel.id());
            relay(b, channel.sideB(), a, channel.localport(), "B to A via " + channel.id());
        }
    }

    private static void relay(UdpPeer from, InetSocketAddress relayPort, UdpPeer to, int farPort, String text)
            throws IOException {
        Instant deadline = Instant.now().plus(SETTLE);
        while (Instant.now().isBefore(deadline)) {
            from.send(relayPort, text);
            Optional<UdpPeer.Received> got = to.receive();
            if (got.isPresent() && got.get().text().equals(text)) {
                assertEquals(farPort, got.get().from().getPort(), "the datagram came from the relay's far port");
                return;
            }
        }
        throw new AssertionError("'" + text + "' never arrived through the relay");
    }

    /** Runs a console command until its output satisfies {@code until}; returns that output. */
    private static String awaitConsole(String command, Predicate<String> until) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        String out = console.run(command);
        while (!until.test(out)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("'" + command + "' did not show what was expected within " + SETTLE + ":\n" + out
                        + "\n--- karaf.log ---\n" + karaf.karafLog());
            }
            Thread.sleep(250);
            out = console.run(command);
        }
        return out;
    }
}
