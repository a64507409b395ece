package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bench, command line to JSON line, against a stand-in relay (REST on real HTTP,
 * forwarding on real UDP) in this JVM, whose CPU and memory the bench measures by --pid.
 */
class BenchTest {

    private static final String SELF = Long.toString(ProcessHandle.current().pid());

    /** stdout, stderr and exit code of one run. */
    private record Result(int code, String out, String err) {
        Map<String, Object> json() {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "exactly one line on stdout: " + out);
            return Json.parseObject(lines[0]);
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--no-lock");
        all.add("--no-pin");
        all.add("--prio");
        all.add("normal");                                      // the test JVM keeps its priority
        int code = Main.run(BenchOptions.parse(all.toArray(String[]::new)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFixedRunReportsOneJsonLineAndATable() throws Exception {
        try (MiniRelay relay = new MiniRelay(3)) {
            Result r = run("--url", relay.url().toString(), "--pid", SELF, "--flows", "3", "--rate", "1200",
                    "--seconds", "1", "--warmup", "0", "--client-base", "0");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals("fixed", j.get("mode"));
            assertEquals(3L, j.get("flows"));
            assertEquals(1200L, j.get("target_pps"));
            assertEquals(0L, ((Number) j.get("loss_pct")).longValue());
            assertEquals(j.get("sent"), j.get("received"));
            assertTrue(((Number) j.get("sent")).longValue() >= 900, "about 1200 packets: " + j.get("sent"));
            assertEquals(0L, j.get("misrouted"));
            Map<String, Object> lat = (Map<String, Object>) j.get("lat_us");
            assertTrue(((Number) lat.get("p50")).doubleValue() > 0);
            assertTrue(((Number) lat.get("p99")).doubleValue() >= ((Number) lat.get("p50")).doubleValue());
            assertNotNull(j.get("cpu_us_per_pkt"), "the process given by --pid is measured");
            assertTrue(((Number) j.get("relay_rss_kb")).longValue() > 0);
            assertTrue(r.err.contains("p99 us") && r.err.contains("relay us/pkt"), r.err);
            assertEquals(List.of("bench0@localhost", "bench1@localhost", "bench2@localhost"), relay.users);
            assertEquals(List.of("ch0", "ch1", "ch2"), relay.deleted, "a running relay is left as it was found");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSweepReportsTheHighestCleanRate() throws Exception {
        try (MiniRelay relay = new MiniRelay(2)) {
            Result r = run("--url", relay.url().toString(), "--flows", "2", "--sweep", "--sweep-start", "1000",
                    "--sweep-factor", "2", "--max-steps", "2", "--step-seconds", "1", "--warmup", "0",
                    "--client-base", "0");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals("sweep", j.get("mode"));
            List<Object> steps = (List<Object>) j.get("steps");
            assertEquals(2, steps.size());
            // a generator that could not offer the rate (a loaded machine) is no failure of the relay:
            // the step is then called noisy and the sweep goes no higher than the step before
            boolean disturbed = "noisy".equals(((Map<String, Object>) steps.get(1)).get("verdict"));
            long highest = disturbed ? 1000L : 2000L;
            assertEquals(highest, j.get("max_clean_pps"), r.err);
            assertEquals("not-reached", j.get("limited_by"));
            assertEquals(highest, ((Map<String, Object>) j.get("at_max")).get("target_pps"));
            assertEquals(null, j.get("pid"));
            assertTrue(r.err.contains("highest clean rate " + highest + " pps"), r.err);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aForeignFloodReportsItsWindowsTheRelaysDropsAndTheTargets() throws Exception {
        try (MiniRelay relay = new MiniRelay(3)) {
            Result r = run("--url", relay.url().toString(), "--pid", SELF, "--flows", "3", "--rate", "1200",
                    "--seconds", "1", "--warmup", "1", "--client-base", "0", "--foreign-flood", "3000",
                    "--flood-from", "127.0.0.2-3", "--flood-rounds", "2");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals("foreign-flood", j.get("mode"));
            assertEquals(3000L, j.get("flood_pps"));
            assertEquals("mixed", j.get("flood_src_ports"));
            assertEquals(8L, j.get("flood_sources"), "2 addresses x 4 ports");
            assertEquals("normal", j.get("flood_sched"), "--prio normal: no real-time thread");
            assertEquals(6L, j.get("flood_targets"), "A and B of 3 channels (the stand-in has no RTCP)");
            assertEquals(2L, j.get("rounds"));
            List<Map<String, Object>> windows = (List<Map<String, Object>>) (List<?>) j.get("windows");
            assertEquals(List.of("no-flood", "control", "flood", "no-flood", "control", "flood"),
                    windows.stream().map(w -> w.get("window")).toList());
            assertEquals(List.of(1L, 1L, 1L, 2L, 2L, 2L), windows.stream().map(w -> w.get("round")).toList());
            long floodSent = 0;
            for (Map<String, Object> w : windows) {
                switch ((String) w.get("window")) {
                    case "no-flood" -> {
                        assertEquals(0L, w.get("flood_sent"));
                        assertEquals(0L, w.get("relay_dropped"));
                    }
                    case "control" -> {
                        assertTrue(((Number) w.get("flood_sent")).longValue() > 1500, "the control's flood is sent: " + w);
                        assertEquals(0L, w.get("relay_dropped"), "the relay never sees the control's flood");
                    }
                    default -> {
                        long sent = ((Number) w.get("flood_sent")).longValue();
                        assertTrue(sent > 1500, "about 3000 in a second: " + sent);
                        assertEquals(sent, w.get("relay_dropped"));
                        assertEquals(Map.of("FOREIGN_SOURCE", sent), w.get("relay_dropped_by_reason"));
                        floodSent += sent;
                    }
                }
                assertEquals(w.get("sent"), w.get("received"), "the flows lost nothing to the flood: " + w);
                assertEquals(0L, w.get("stray"), "no flood datagram reached a flow");
            }
            long warmup = ((Number) j.get("flood_warmup_sent")).longValue();
            assertTrue(warmup > 1500, "the warm-up has the flood too: " + warmup);
            assertEquals(warmup + floodSent, relay.forwarder.foreign.get(),
                    "every flood datagram reached a latched port and was dropped");
            assertEquals(Set.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")),
                    relay.forwarder.foreignSources);
            List<Map<String, Object>> rounds = (List<Map<String, Object>>) (List<?>) j.get("per_round");
            assertEquals(2, rounds.size());
            assertTrue(((Number) j.get("relay_dropped")).longValue() > 1500, "a median of the flood windows");
            assertTrue(((Map<String, Object>) j.get("relay_dropped_by_reason")).containsKey("FOREIGN_SOURCE"));
            assertNotNull(j.get("cpu_us_per_fwd"), "--pid gives CPU figures");
            assertTrue(j.containsKey("cpu_us_per_drop"));
            assertTrue(List.of("pass", "fail").contains(j.get("target_p99")), String.valueOf(j.get("target_p99")));
            assertTrue(j.get("target_cpu_per_drop") == null || List.of("pass", "fail").contains(j.get("target_cpu_per_drop")));
            assertTrue(((Number) j.get("p99_us_flood")).doubleValue() > 0);
            assertEquals(((Number) j.get("p99_us_flood")).doubleValue() / ((Number) j.get("p99_us_no_flood")).doubleValue(),
                    ((Number) j.get("p99_ratio")).doubleValue(), 0.01);
            assertTrue(r.err.contains("us/drop") && r.err.contains("p99 target") && r.err.contains("dropped by reason")
                    && r.err.contains("median"), r.err);
            assertEquals(List.of("ch0", "ch1", "ch2"), relay.deleted);
        }
    }

    @Test
    void idleMemoryReportsRssAndHeapPerChannel() throws Exception {
        try (MiniRelay relay = new MiniRelay(10)) { // two rounds of 5: the mini relay frees nothing
            Result r = run("--url", relay.url().toString(), "--pid", SELF, "--flows", "5", "--idle-mem");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals("idle-mem", j.get("mode"));
            assertEquals(5L, j.get("channels"));
            assertTrue(((Number) j.get("rss_kb_after")).longValue() > 0);
            assertNotNull(j.get("rss_kb_per_channel"));
            assertNotNull(j.get("rss_kb_per_channel_cold"));
            assertEquals(10, relay.deleted.size(), "both rounds are destroyed: the first before the second, the second on the way out");
            assertNotNull(j.get("heap_bytes_per_channel"), r.err);
            assertTrue(j.get("heap_top_growth") instanceof List);
            assertTrue(((Number) j.get("fds")).longValue() > 0);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAllocationRateRunsRoundsOnOneKeptAliveConnection() throws Exception {
        try (MiniRelay relay = new MiniRelay(4 * 5)) {   // a warm-up and three rounds of 5: the mini relay frees nothing
            Result r = run("--url", relay.url().toString(), "--pid", SELF, "--alloc-rate", "5");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals("alloc-rate", j.get("mode"));
            assertEquals(5L, j.get("channels"));
            assertEquals(3L, j.get("rounds"));
            assertEquals(1L, j.get("connections"));
            assertEquals(1, relay.channelClients.size(), "every POST and DELETE on one connection: " + relay.channelClients);
            assertEquals(false, j.get("cluster"));
            assertTrue(((Number) j.get("allocs_per_s")).doubleValue() > 0);
            assertTrue(((Number) j.get("deletes_per_s")).doubleValue() > 0);
            Map<String, Object> lat = (Map<String, Object>) j.get("alloc_lat_us");
            assertTrue(((Number) lat.get("p99")).doubleValue() >= ((Number) lat.get("p50")).doubleValue());
            assertEquals(3, ((List<Object>) j.get("per_round")).size());
            assertEquals(1, ((List<Object>) j.get("warmup")).size());
            assertEquals(1L, j.get("warmup_rounds"));
            List<String> users = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 5; i++) {
                    users.add("bench-" + i + "@localhost");
                }
            }
            assertEquals(users, relay.users, "distinct users in a round, the same ones every round");
            assertEquals(20, relay.deleted.size(), "every channel deleted");
            assertTrue(r.err.contains("allocs/s") && r.err.contains("median") && r.err.contains("warm-up"), r.err);
        }
    }

    @Test
    void aRefusedAllocationFailsTheAllocationRateAndGivesTheRoundBack() throws Exception {
        try (MiniRelay relay = new MiniRelay(5 + 3)) {   // the first round stops at its fourth allocation
            Result r = run("--url", relay.url().toString(), "--alloc-rate", "5");
            assertEquals(1, r.code, r.err);
            assertTrue(r.err.contains("round 1: allocation 4 of 5 failed") && r.err.contains("503"), r.err);
            assertEquals("", r.out.strip(), "no report line for a failed run");
            assertEquals(5 + 3, relay.deleted.size(), "the warm-up's channels and the three of round 1 are deleted");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInProcessAllocationRateGoesThroughARealRelayCore() {
        Result r = run("--alloc-rate-inprocess", "50", "--alloc-rounds", "2", "--alloc-warmup-rounds", "2");
        assertEquals(0, r.code, r.err);
        Map<String, Object> j = r.json();
        assertEquals("alloc-rate-inprocess", j.get("mode"));
        assertEquals(50L, j.get("channels"));
        assertEquals(2, ((List<Object>) j.get("per_round")).size());
        assertEquals(2, ((List<Object>) j.get("warmup")).size());
        assertTrue(((Number) j.get("allocs_per_s")).doubleValue() > 0);
        assertTrue(r.err.contains("RelayService") && r.err.contains("median"), r.err);
    }

    @Test
    void theInProcessRelayRunsTheIoEngineAskedForAndRefusesOneThisJvmCannotRun() {
        Result nio = run("--alloc-rate-inprocess", "20", "--alloc-rounds", "1", "--alloc-warmup-rounds", "0", "--io-engine", "nio");
        assertEquals(0, nio.code, nio.err);
        assertEquals("nio", nio.json().get("io_engine"));
        assertTrue(nio.err.contains("io.engine nio"), nio.err);
        Result auto = run("--alloc-rate-inprocess", "20", "--alloc-rounds", "1", "--alloc-warmup-rounds", "0");
        assertEquals("auto", auto.json().get("io_engine"));

        Result ffm = run("--alloc-rate-inprocess", "20", "--alloc-rounds", "1", "--alloc-warmup-rounds", "0", "--io-engine", "ffm");
        if (Runtime.version().feature() >= 22) {
            assertEquals(0, ffm.code, ffm.err);
            assertEquals("ffm", ffm.json().get("io_engine"));
        } else {
            assertEquals(1, ffm.code, "no silent fall-back to nio: " + ffm.err);
            assertTrue(ffm.err.contains("io.engine=ffm needs Java 22 or newer"), ffm.err);
            assertEquals("", ffm.out.strip(), "no report line for a failed run");
        }
    }

    @Test
    void anyRelayCanBeDrivenFromAChannelFile(@TempDir Path tmp) throws Exception {
        try (LoopbackForwarder relay = new LoopbackForwarder(2)) {
            Path file = tmp.resolve("flows.txt");
            List<String> lines = new ArrayList<>();
            for (RelayClient.Channel c : relay.all()) {
                lines.add(c.a().getPort() + " " + c.b().getPort());
            }
            Files.write(file, lines);
            Result r = run("--channels-file", file.toString(), "--pid", SELF, "--flows", "2", "--rate", "800",
                    "--seconds", "1", "--warmup", "0", "--client-base", "0");
            assertEquals(0, r.code, r.err);
            Map<String, Object> j = r.json();
            assertEquals(file.toString(), j.get("relay"));
            assertEquals(j.get("sent"), j.get("received"));
            assertTrue(((Number) j.get("received")).longValue() > 0);
        }
    }

    @Test
    void aRelayThatRunsOutOfChannelsIsAClearFailure() throws Exception {
        try (MiniRelay relay = new MiniRelay(1)) {
            Result r = run("--url", relay.url().toString(), "--flows", "2", "--seconds", "1", "--client-base", "0");
            assertEquals(1, r.code);
            assertTrue(r.err.contains("allocation 2 of 2 failed") && r.err.contains("503"), r.err);
            assertEquals("", r.out.strip(), "no report line for a failed run");
            assertEquals(List.of("ch0"), relay.deleted, "what was allocated is given back");
        }
    }

    @Test
    void aClusterRunWithoutRedisFailsBeforeTheRelayStarts() {
        Result r = run("--alloc-rate", "5", "--cluster", "redis://127.0.0.1:1/0", "--relay-jar", "/nonexistent/relay.jar");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("--cluster: Redis at 127.0.0.1:1 does not answer"), r.err);
        assertTrue(!r.err.contains("not found") && !r.err.contains("could not remove"), "nothing started: " + r.err);
    }

    @Test
    void nothingAtTheUrlIsAClearFailure() {
        Result r = run("--url", "http://127.0.0.1:9/relay", "--seconds", "1");
        assertEquals(1, r.code);
        assertTrue(r.err.startsWith("relay.bench: "), r.err);
    }

    @Test
    void aMissingRelayJarIsNamed() {
        Result r = run("--relay-jar", "/nonexistent/relay.jar", "--seconds", "1");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("/nonexistent/relay.jar") && r.err.contains("not found"), r.err);
    }
}
