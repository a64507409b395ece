package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreFiftyPacketsPerDirectionPerFlowOnPinnedCpus() {
        BenchOptions o = BenchOptions.parse(2);
        assertEquals(BenchOptions.Mode.FIXED, o.mode);
        assertEquals(100, o.flows);
        assertEquals(10_000, o.totalRate(), "100 flows x 2 directions x 50 pps");
        assertEquals(5, o.seconds);
        assertEquals(172, o.size);
        assertEquals(Path.of("cnf", "target", "relay.jar"), o.relayJar);
        assertEquals("1", o.relayCpus);
        assertEquals("0", o.genCpus);
        assertEquals(20_000, o.portMin);
        assertEquals(39_998, o.portMax);
        assertTrue(o.rtcp && o.spin && o.lock && o.nice);
        assertFalse(o.external());
    }

    @Test
    void oneCpuOrNoPinMeansNoPinning() {
        assertNull(BenchOptions.parse(1).relayCpus);
        BenchOptions o = BenchOptions.parse(2, "--relay-cpus", "1", "--no-pin");
        assertNull(o.relayCpus);
        assertNull(o.genCpus);
    }

    @Test
    void everyOptionIsRead() {
        BenchOptions o = BenchOptions.parse(2, "--flows", "10", "--rate", "150000", "--seconds", "7", "--warmup", "0",
                "--size", "60", "--client-base", "45000", "--no-spin", "--io-threads", "2", "--relay-ports",
                "21000-22999", "--no-rtcp", "--http-port", "18999", "--relay-jvm", " -Xmx64m  -XX:+UseSerialGC ",
                "--keep", "--relay-jar", "/x/relay.jar", "--relay-etc", "/x/etc", "--relay-cpus", "1", "--gen-cpus",
                "0,2-3", "--no-lock", "--prio", "normal");
        assertEquals(10, o.flows);
        assertEquals(150_000, o.totalRate());
        assertEquals(7, o.seconds);
        assertEquals(0, o.warmup);
        assertEquals(60, o.size);
        assertEquals(45_000, o.clientBase);
        assertFalse(o.spin);
        assertEquals(2, o.ioThreads);
        assertEquals(21_000, o.portMin);
        assertEquals(22_999, o.portMax);
        assertFalse(o.rtcp);
        assertEquals(18_999, o.httpPort);
        assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC"), o.relayJvm);
        assertTrue(o.keep);
        assertEquals(Path.of("/x/relay.jar"), o.relayJar);
        assertEquals(Path.of("/x/etc"), o.relayEtc);
        assertEquals("0,2-3", o.genCpus);
        assertFalse(o.lock);
        assertFalse(o.nice);
    }

    @Test
    void sweepOptions() {
        BenchOptions o = BenchOptions.parse(2, "--sweep", "--sweep-start", "30000", "--sweep-factor", "1.25",
                "--max-steps", "12", "--step-seconds", "2", "--loss-limit", "1", "--p50-limit-us", "0");
        assertEquals(BenchOptions.Mode.SWEEP, o.mode);
        assertEquals(30_000, o.sweepStart);
        assertEquals(1.25, o.sweepFactor);
        assertEquals(12, o.maxSteps);
        assertEquals(2, o.stepSeconds);
        assertEquals(1.0, o.lossLimitPct);
        assertEquals(0, o.p50LimitUs);
    }

    @Test
    void aForeignFloodRunsFromSixteenLoopbackSourcesOnMixedPortsByDefault() throws Exception {
        BenchOptions o = BenchOptions.parse(2, "--foreign-flood", "50000", "--flows", "100", "--rate", "50000");
        assertEquals(BenchOptions.Mode.FLOOD, o.mode);
        assertEquals(50_000, o.floodPps);
        assertEquals(50_000, o.totalRate());
        assertEquals(BenchOptions.FloodPorts.MIXED, o.floodPorts);
        assertEquals(16, o.floodFrom.size());
        assertEquals(InetAddress.getByName("127.0.0.2"), o.floodFrom.get(0));
        assertEquals(InetAddress.getByName("127.0.0.17"), o.floodFrom.get(15));
        assertEquals("0", o.genCpus, "the flood's thread is pinned with the generator");
        assertEquals(3, o.floodRounds);
        assertNull(BenchOptions.parse(2).floodPps, "no flood unless asked");
    }

    @Test
    void floodSourcesAndPortsAreRead() throws Exception {
        BenchOptions o = BenchOptions.parse(2, "--foreign-flood", "1", "--flood-from", "127.0.0.9-11, 192.0.2.2,127.0.0.10",
                "--flood-ports", "relay");
        assertEquals(List.of(InetAddress.getByName("127.0.0.9"), InetAddress.getByName("127.0.0.10"),
                InetAddress.getByName("127.0.0.11"), InetAddress.getByName("192.0.2.2")), o.floodFrom,
                "ranges expanded, duplicates dropped, order kept");
        assertEquals("127.0.0.9-11, 192.0.2.2,127.0.0.10", o.floodFromText);
        assertEquals(BenchOptions.FloodPorts.RELAY, o.floodPorts);
        assertEquals(BenchOptions.FloodPorts.OTHER,
                BenchOptions.parse(2, "--foreign-flood", "1000000", "--flood-ports", "other").floodPorts);
        assertEquals(256, BenchOptions.addresses("x", "10.0.0.0-255").size());
        assertEquals(10, BenchOptions.parse(2, "--foreign-flood", "1", "--flood-rounds", "10").floodRounds);
    }

    @Test
    void badFloodOptionsAreRefusedWithTheOptionNamed() {
        assertError("--foreign-flood", "--foreign-flood", "0");
        assertError("--foreign-flood", "--foreign-flood", "1000001");
        assertError("--foreign-flood needs a value", "--foreign-flood");
        assertError("choose one", "--sweep", "--foreign-flood", "100");
        assertError("choose one", "--foreign-flood", "100", "--idle-mem");
        assertError("go with --foreign-flood", "--flood-from", "127.0.0.2");
        assertError("go with --foreign-flood", "--flood-ports", "relay");
        assertError("127.0.0.1", "--foreign-flood", "1", "--flood-from", "127.0.0.1");
        assertError("127.0.0.1", "--foreign-flood", "1", "--flood-from", "127.0.0.0-3");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "localhost");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "::1");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "127.0.0.2,");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "127.0.0.300");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "127.0.0.9-3");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "127.0.0.9-10-11");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "0.0.0.0");
        assertError("--flood-from", "--foreign-flood", "1", "--flood-from", "224.0.0.1");
        assertError("more than 256", "--foreign-flood", "1", "--flood-from", "10.0.0.0-255,10.0.1.1");
        assertError("--flood-ports", "--foreign-flood", "1", "--flood-ports", "any");
        assertError("--flood-rounds", "--foreign-flood", "1", "--flood-rounds", "0");
        assertError("--flood-rounds", "--foreign-flood", "1", "--flood-rounds", "11");
        assertError("go with --foreign-flood", "--flood-rounds", "2");
    }

    @Test
    void theAllocationRateRunsRoundsOverRestOrInProcess() {
        BenchOptions rest = BenchOptions.parse(2, "--alloc-rate", "5000");
        assertEquals(BenchOptions.Mode.ALLOC_RATE, rest.mode);
        assertEquals(5000, rest.allocChannels);
        assertEquals(3, rest.allocRounds, "three measured rounds by default");
        assertEquals(1, rest.allocWarmupRounds, "after one warm-up round");
        assertNull(rest.cluster, "cluster off unless asked");
        assertEquals("1", rest.relayCpus, "a relay the bench starts is pinned as in the other modes");
        assertEquals("0", rest.genCpus);
        BenchOptions cluster = BenchOptions.parse(2, "--alloc-rate", "10000", "--no-rtcp", "--relay-ports",
                "20000-39999", "--alloc-rounds", "5", "--cluster", "redis://127.0.0.1:6379/0");
        assertEquals(10_000, cluster.allocChannels);
        assertEquals(5, cluster.allocRounds);
        assertEquals(URI.create("redis://127.0.0.1:6379/0"), cluster.cluster);
        assertEquals(URI.create("rediss://u:p@redis.example:6380"),
                BenchOptions.parse(2, "--cluster", "rediss://u:p@redis.example:6380").cluster, "any mode, a relay it starts");
        BenchOptions url = BenchOptions.parse(2, "--alloc-rate", "100", "--url", "http://127.0.0.1:8480/relay",
                "--token", "0123456789abcdef");
        assertTrue(url.external());
        assertEquals(100, url.allocChannels);

        BenchOptions in = BenchOptions.parse(2, "--alloc-rate-inprocess", "5000", "--alloc-rounds", "1",
                "--io-threads", "2", "--alloc-warmup-rounds", "0");
        assertEquals(0, in.allocWarmupRounds);
        assertEquals(20, BenchOptions.parse(2, "--alloc-rate", "1", "--alloc-warmup-rounds", "20").allocWarmupRounds);
        assertEquals(BenchOptions.Mode.ALLOC_INPROCESS, in.mode);
        assertEquals(5000, in.allocChannels);
        assertEquals(1, in.allocRounds);
        assertEquals(2, in.ioThreads);
        assertNull(in.relayCpus, "the core's threads and the caller share the bench's JVM: no pinning");
        assertNull(in.genCpus);
        assertFalse(in.external());
        assertEquals("in-process relay core", in.relayName());
        assertEquals(5000, BenchOptions.MAX_INPROCESS_CHANNELS, "40000-49999 without RTCP");
        assertNull(BenchOptions.parse(2).allocChannels);
    }

    @Test
    void badAllocationRateOptionsAreRefusedWithTheOptionNamed() {
        assertError("--alloc-rate", "--alloc-rate", "0");
        assertError("--alloc-rate", "--alloc-rate", "10001");
        assertError("--alloc-rate needs a value", "--alloc-rate");
        assertError("--alloc-rate-inprocess", "--alloc-rate-inprocess", "5001");
        assertError("--alloc-rate-inprocess", "--alloc-rate-inprocess", "0");
        assertError("choose one", "--alloc-rate", "10", "--sweep");
        assertError("choose one", "--alloc-rate", "10", "--alloc-rate-inprocess", "10");
        assertError("go with --alloc-rate", "--alloc-rounds", "2");
        assertError("--alloc-rounds", "--alloc-rate", "10", "--alloc-rounds", "0");
        assertError("--alloc-rounds", "--alloc-rate", "10", "--alloc-rounds", "21");
        assertError("go with --alloc-rate", "--alloc-warmup-rounds", "2");
        assertError("--alloc-warmup-rounds", "--alloc-rate", "10", "--alloc-warmup-rounds", "-1");
        assertError("--alloc-warmup-rounds", "--alloc-rate", "10", "--alloc-warmup-rounds", "21");
        assertError("--relay-ports", "--alloc-rate", "5001", "--alloc-rounds", "1");     // 20000-39998 with RTCP: 5000
        assertEquals(5001, BenchOptions.parse(2, "--alloc-rate", "5001", "--no-rtcp").allocChannels);
        assertError("cannot hold 10000 channels (2 ports each)", "--alloc-rate", "10000", "--no-rtcp");
        assertError("not with --channels-file", "--alloc-rate", "10", "--channels-file", "f");
        assertError("--cluster", "--cluster", "http://127.0.0.1:6379");
        assertError("--cluster", "--cluster", "redis:///0");
        assertError("--cluster", "--cluster", "redis://127.0.0.1:6379/16");
        assertError("--cluster", "--cluster", "redis://127.0.0.1:6379/x");
        assertError("--cluster needs a value", "--alloc-rate", "10", "--cluster");
        assertError("not with --url", "--alloc-rate", "10", "--url", "http://127.0.0.1:1/relay", "--cluster",
                "redis://127.0.0.1:6379/0");
        assertError("not with --url", "--alloc-rate-inprocess", "10", "--url", "http://127.0.0.1:1/relay");
        assertError("--cluster", "--alloc-rate-inprocess", "10", "--cluster", "redis://127.0.0.1:6379/0");
        assertError("--relay-jar", "--alloc-rate-inprocess", "10", "--relay-jar", "x.jar");
        assertError("--no-rtcp", "--alloc-rate-inprocess", "10", "--no-rtcp");
        assertError("--http-port", "--alloc-rate-inprocess", "10", "--http-port", "18481");
    }

    @Test
    void aRunningRelayByUrl() {
        BenchOptions o = BenchOptions.parse(2, "--url", "http://127.0.0.1:8480/relay/", "--pid", "1234", "--token", "s3");
        assertTrue(o.external());
        assertEquals(URI.create("http://127.0.0.1:8480/relay"), o.url);
        assertEquals(1234L, o.pid);
        assertEquals("s3", o.token);
        BenchOptions idle = BenchOptions.parse(2, "--idle-mem", "--url", "http://127.0.0.1:8480/relay", "--pid", "9");
        BenchOptions file = BenchOptions.parse(2, "--channels-file", "flows.txt", "--pid", "9", "--flows", "10");
        assertTrue(file.external());
        assertEquals("flows.txt", file.relayName());
        assertEquals(BenchOptions.Mode.IDLE_MEM, idle.mode);
    }

    @Test
    void badInputIsRefusedWithTheOptionNamed() {
        assertError("--flows", "--flows", "0");
        assertError("--flows", "--flows", "10001");
        assertError("--flows", "--flows", "many");
        assertError("--flows needs a value", "--flows");
        assertError("--rate", "--rate", "-5");
        assertError("--seconds", "--seconds", "61");
        assertError("--warmup", "--warmup", "31");
        assertError("--size", "--size", "43");
        assertError("--max-steps", "--sweep", "--max-steps", "13");
        assertError("--step-seconds", "--step-seconds", "11");
        assertError("--sweep-factor", "--sweep-factor", "1");
        assertError("--loss-limit", "--loss-limit", "abc");
        assertError("unknown option --fast", "--fast");
        assertError("--relay-ports", "--relay-ports", "30000");
        assertError("--relay-ports", "--relay-ports", "30000-20000");
        assertError("client ports", "--relay-ports", "30000-45000");
        assertError("--relay-ports", "--relay-ports", "20000-20098", "--flows", "26");
        assertError("--relay-ports", "--relay-ports", "20000-20049", "--no-rtcp", "--flows", "26");
        assertError("--url", "--url", "ftp://127.0.0.1/relay");
        assertError("--url", "--url", "not a url");
        assertError("exclude", "--url", "http://127.0.0.1:1/relay", "--relay-jar", "x.jar");
        assertError("--pid goes with --url", "--pid", "5");
        assertError("needs its --pid", "--idle-mem", "--url", "http://127.0.0.1:1/relay");
        assertError("choose one", "--sweep", "--idle-mem");
        assertError("exclude", "--url", "http://127.0.0.1:1/relay", "--channels-file", "f");
        assertError("not with --channels-file", "--idle-mem", "--channels-file", "f");
        assertError("--client-base", "--client-base", "65000", "--flows", "300");
        assertError("--gen-cpus", "--gen-cpus", "zero");
        assertError("--prio", "--prio", "high");
    }

    @Test
    void theUsageNamesEveryOption() {
        for (String opt : List.of("--sweep", "--idle-mem", "--flows", "--rate", "--seconds", "--warmup", "--size",
                "--client-base", "--no-spin", "--sweep-start", "--sweep-factor", "--max-steps", "--step-seconds",
                "--loss-limit", "--p50-limit-us", "--relay-jar", "--relay-etc", "--io-threads", "--io-engine", "--relay-ports",
                "--no-rtcp", "--http-port", "--relay-jvm", "--keep", "--url", "--pid", "--token", "--relay-cpus",
                "--gen-cpus", "--no-pin", "--prio", "--no-lock", "--channels-file", "--foreign-flood", "--flood-from",
                "--flood-ports", "--flood-rounds", "--metrics-png", "--alloc-rate", "--alloc-rate-inprocess",
                "--alloc-rounds", "--alloc-warmup-rounds", "--cluster")) {
            assertTrue(BenchOptions.USAGE.contains(opt), opt);
        }
        assertTrue(BenchOptions.parse(2, "--help").help);
    }

    @Test
    void metricsPngGoesWithAFixedRunOverRest() {
        assertEquals(Path.of("docs", "dashboard.png"), BenchOptions.parse(2, "--metrics-png", "docs/dashboard.png").metricsPng);
        assertNull(BenchOptions.parse(2).metricsPng);
        assertError("--metrics-png", "--metrics-png");
        assertError("--metrics-png goes with a fixed run", "--sweep", "--metrics-png", "x.png");
        assertError("--metrics-png goes with a fixed run", "--idle-mem", "--metrics-png", "x.png");
        assertError("--metrics-png goes with a fixed run", "--channels-file", "c.txt", "--metrics-png", "x.png");
    }

    @Test
    void timeLimitsCoverTheRunAndStayBounded() {
        BenchOptions fixed = BenchOptions.parse(2, "--seconds", "60", "--warmup", "30");
        assertTrue(Main.timeLimitSeconds(fixed) > 90);
        assertTrue(Main.timeLimitSeconds(fixed) < 600);
        BenchOptions sweep = BenchOptions.parse(2, "--sweep", "--max-steps", "12", "--step-seconds", "10");
        assertTrue(Main.timeLimitSeconds(sweep) > 12 * 10);
        assertTrue(Main.timeLimitSeconds(sweep) < 3600);
        BenchOptions idle = BenchOptions.parse(2, "--idle-mem", "--flows", "5000");  // fits 20000-39998 with RTCP
        assertTrue(Main.timeLimitSeconds(idle) > 100);
        BenchOptions flood = BenchOptions.parse(2, "--foreign-flood", "50000", "--seconds", "60", "--warmup", "30",
                "--flood-rounds", "10");
        assertTrue(Main.timeLimitSeconds(flood) > 90 + 30 + 10 * 3 * (60 + 10) + 12,
                "ten rounds of three windows, each with the relay's backlog, and the waits for quiet CPUs");
        assertTrue(Main.timeLimitSeconds(flood) < 3600);
        BenchOptions alloc = BenchOptions.parse(2, "--alloc-rate", "10000", "--no-rtcp", "--relay-ports", "20000-39999",
                "--alloc-rounds", "20");
        assertTrue(Main.timeLimitSeconds(alloc) > 90 + 21 * 2 * 10_000 / 200,
                "21 rounds of 10,000 allocations and deletions at 200 requests/s");
        assertTrue(Main.timeLimitSeconds(alloc) < 3 * 3600);
        assertTrue(Main.timeLimitSeconds(BenchOptions.parse(2, "--alloc-rate-inprocess", "5000")) > 4 * 2 * 5000 / 1000);
    }

    private static void assertError(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(2, args),
                String.join(" ", args));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should mention '" + expected + "'");
    }
}
