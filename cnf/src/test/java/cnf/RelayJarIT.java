package cnf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The product as a newcomer runs it: the exported relay.jar as its own process, with etc/ in
 * its working directory. Media goes through it over real UDP, an edited etc/ file takes effect
 * while it runs, and it stops cleanly on SIGTERM and on {@code stop 0}, releasing its ports.
 * Relay ports 26300-26599, HTTP 18610, 18611, 18613, 18615 and 18616.
 */
class RelayJarIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void allocatesForwardsBothWaysTakesLiveConfigurationAndStopsOnSigterm() throws Exception {
        JsonObject ch;
        try (RelayProcess relay = RelayProcess.prepare("sigterm", 18610, "relay.core", "port.min", "26300",
                "relay.core", "port.max", "26349").start(false)) {
            ch = relay.allocate("alice@example.com/phone");
            assertEquals("alice@example.com", ch.get("owner").getAsString());
            assertEquals("127.0.0.1", ch.get("host").getAsString());
            int portA = ch.get("portA").getAsInt();
            int portB = ch.get("portB").getAsInt();

            try (DatagramSocket a = socket(); DatagramSocket b = socket()) {
                send(b, portB, new byte[] {0}); // B latches first; A's first datagram then goes through
                // (the two could reach the relay's loop in one round, A's read first, before B is latched)
                String channel = ch.get("id").getAsString();
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> relay.latched(channel, "B")), "B never latched");
                byte[] toB = pattern(1200, 7);
                send(a, portA, toB);
                assertArrayEquals(toB, receive(b));
                byte[] toA = pattern(172, 3);
                send(b, portB, toA);
                assertArrayEquals(toA, receive(a));

                String id = ch.get("id").getAsString();
                JsonObject now = JsonParser.parseString(relay.get("/relay/channels/" + id).body()).getAsJsonObject();
                assertEquals("ACTIVE", now.get("state").getAsString());
                assertEquals("127.0.0.1:" + a.getLocalPort(), now.get("peerA").getAsString());
            }

            // Live configuration: localhost leaves the whitelist; the next request obeys it.
            String bob = relay.allocate("bob@localhost").get("id").getAsString();
            assertEquals(204, relay.delete("/relay/channels/" + bob).statusCode());
            relay.edit("relay.policy.whitelist", "domains", "example.com");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> deniedAfterEdit(relay)),
                    "the whitelist edit did not take effect");
            HttpResponse<String> denied = relay.post("/relay/channels", "{\"user\": \"carol@localhost\"}");
            JsonObject error = JsonParser.parseString(denied.body()).getAsJsonObject();
            assertEquals("whitelist", error.get("policy").getAsString());
            assertEquals(200, relay.get("/relay/channels/" + ch.get("id").getAsString()).statusCode(),
                    "a live channel of a domain still listed was cut");

            // Live configuration: the REST listener moves to another port.
            relay.edit("relay.http", "port", "18613");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> statsAnswer(18613)), "the API did not move");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> !statsAnswer(18610)), "the old port still answers");

            assertEquals(143, relay.terminate(), "exit code after SIGTERM");
            assertTrue(relay.logFile().contains("relay started"), relay.logFile());
            assertTrue(relay.logFile().contains("relay stopped"), "no clean stop in the log:\n" + relay.logFile());
            assertTrue(relay.console().contains("REST API at http://127.0.0.1:18610/relay"), relay.console());
            assertTrue(relay.console().contains("REST API moves to http://127.0.0.1:18613/relay"), relay.console());
        }
        assertPortsFree(ch, 18613);
    }

    @Test
    void stop0InTheShellStopsTheRelayCleanly() throws Exception {
        JsonObject ch;
        try (RelayProcess relay = RelayProcess.prepare("stop0", 18611, "relay.core", "port.min", "26350",
                "relay.core", "port.max", "26399").start(true)) {
            ch = relay.allocate("alice@example.com");
            relay.shell("stop 0");
            assertEquals(117, relay.awaitExit(), "the launcher's exit code after stop 0");
            assertTrue(relay.logFile().contains("relay stopped"), "no clean stop in the log:\n" + relay.logFile());
        }
        assertPortsFree(ch, 18611);
    }

    @Test
    void aRequiredPolicyWhoseBundleStopsDeniesEveryAllocationUntilItIsBack() throws Exception {
        // etc/relay.core.cfg lists whitelist and quota in required.policies: without one, fail closed
        try (RelayProcess relay = RelayProcess.prepare("required", 18615, "relay.core", "port.min", "26500",
                "relay.core", "port.max", "26549").start(true)) {
            String live = relay.allocate("alice@example.com").get("id").getAsString();
            relay.shell("stop relay.policy.whitelist");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> allocationStatus(relay, "bob@example.com") == 403),
                    "no denial once the whitelist stopped");
            HttpResponse<String> denied = relay.post("/relay/channels", "{\"user\": \"carol@example.com\"}");
            JsonObject error = JsonParser.parseString(denied.body()).getAsJsonObject();
            assertEquals("POLICY", error.get("reason").getAsString(), denied.body());
            assertEquals("whitelist", error.get("policy").getAsString(), denied.body());
            assertTrue(error.get("message").getAsString().contains("policy whitelist is not available"), denied.body());
            assertEquals(200, relay.get("/relay/channels/" + live).statusCode(), "a live channel was cut");
            // Gogo's start takes bundle ids (stop takes symbolic names too): read the id from lb
            relay.shell("lb -s relay.policy.whitelist");
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("(?m)^\\s*(\\d+)\\s*\\|.*\\|relay\\.policy\\.whitelist\\b");
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(10), () -> line.matcher(relay.console()).find()), relay.console());
            java.util.regex.Matcher m = line.matcher(relay.console());
            assertTrue(m.find());
            relay.shell("start " + m.group(1));
            assertTrue(RelayProcess.eventually(Duration.ofSeconds(15), () -> allocationStatus(relay, "dave@example.com") == 201),
                    "no allocation once the whitelist is back");
        }
    }

    /** The status of one allocation for {@code user}, or -1 when the API did not answer. */
    /**
     * The engine {@code io.engine = auto} picks is the one the JVM runs: ffm on Java 22 or newer (the
     * multi-release classes inside relay.core, with native access granted by the jar's manifest),
     * nio before. The build runs this test once on its own JDK and once on the JDK 22+ toolchain.
     */
    @Test
    void forwardsOnTheIoEngineItsJavaRuns() throws Exception {
        String expected = Runtime.version().feature() >= 22 ? "ffm" : "nio";
        JsonObject ch;
        try (RelayProcess relay = RelayProcess.prepare("engine-" + expected, 18616, "relay.core", "port.min", "26550",
                "relay.core", "port.max", "26599").start(false)) {
            ch = relay.allocate("alice@example.com");
            try (DatagramSocket a = socket(); DatagramSocket b = socket()) {
                send(b, ch.get("portB").getAsInt(), new byte[] {0});
                String channel = ch.get("id").getAsString();
                assertTrue(RelayProcess.eventually(Duration.ofSeconds(5), () -> relay.latched(channel, "B")), "B never latched");
                byte[] toB = pattern(1200, 5);
                send(a, ch.get("portA").getAsInt(), toB);
                assertArrayEquals(toB, receive(b));
                byte[] toA = pattern(64, 9);
                send(b, ch.get("portB").getAsInt(), toA);
                assertArrayEquals(toA, receive(a));
            }
            assertTrue(relay.logFile().contains("io.engine " + expected), relay.logFile());
            assertFalse(relay.console().contains("restricted method"), "a native-access warning:\n" + relay.console());
            assertEquals(143, relay.terminate(), "exit code after SIGTERM");
            assertTrue(relay.logFile().contains("relay stopped"), "no clean stop in the log:\n" + relay.logFile());
        }
        assertPortsFree(ch, 18616);
    }

    private static int allocationStatus(RelayProcess relay, String user) {
        try {
            return relay.post("/relay/channels", "{\"user\": \"" + user + "\"}").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean statsAnswer(int port) {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.getOutputStream().write("GET /relay/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** One allocation for a fresh localhost user: true once it is denied; a channel made before the edit is deleted. */
    private static boolean deniedAfterEdit(RelayProcess relay) {
        try {
            HttpResponse<String> r = relay.post("/relay/channels", "{\"user\": \"u" + System.nanoTime() + "@localhost\"}");
            if (r.statusCode() == 201) {
                relay.delete("/relay/channels/" + JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString());
            }
            return r.statusCode() == 403;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertPortsFree(JsonObject ch, int httpPort) throws IOException {
        for (String key : new String[] {"portA", "rtcpPortA", "portB", "rtcpPortB"}) {
            int port = ch.get(key).getAsInt();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                assertEquals(port, s.getLocalPort());
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(LOOPBACK, httpPort));
        }
    }

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(DatagramSocket from, int port, byte[] data) throws IOException {
        from.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }

    private static byte[] receive(DatagramSocket at) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        at.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
