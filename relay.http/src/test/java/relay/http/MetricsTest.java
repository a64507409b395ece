package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

import relay.api.DestroyReason;
import relay.api.DropReason;
import relay.api.Histogram;
import relay.api.RelayDeniedException;
import relay.api.RelayStats;
import relay.api.Traffic;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Exposition;
import relay.testing.Exposition.Format;
import relay.testing.Poll;
import relay.testing.UdpPeer;

/**
 * {@code GET /metrics}: both exposition formats read strictly ({@link Exposition}), every name the
 * relay promises with the values of its stats, the JVM's standard metrics, and the API's access
 * rules, which apply to it as to {@code /relay}.
 */
class MetricsTest {

    /** Prometheus 2.x and 3.x ask for OpenMetrics first. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private final CapturedLog log = new CapturedLog("relay.http");
    private final StubRelay stub = new StubRelay();
    private final RestApi api = new RestApi(log.logger());
    private RelayCore core;

    {
        api.useRelay(stub);
    }

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
        log.close();
    }

    private Exposition scrape(Format format) {
        ApiResponse r = Call.get("/metrics").accept(format == Format.OPENMETRICS ? PROMETHEUS_ACCEPT : null).on(api);
        assertEquals(200, r.status(), r.body());
        assertEquals(format == Format.OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8", r.contentType());
        return Exposition.parse(r.body(), format);
    }

    private static RelayStats stats() {
        Map<DropReason, Long> drops = Map.of(DropReason.RATE_LIMITED, 7L, DropReason.FOREIGN_SOURCE, 2L);
        return RelayStats.builder().started(Instant.EPOCH).liveChannels(12).effectiveCapacity(2500).maxChannels(10000)
                .allocated(40).destroyed(Map.of(DestroyReason.EXPIRED, 20L, DestroyReason.FAULT, 1L))
                .denied(Map.of(RelayDeniedException.Reason.PORTS_EXHAUSTED, 3L, RelayDeniedException.Reason.POLICY, 5L))
                .forwarded(Traffic.of(1000, 172_000, drops)).portsFree(9952).portsTotal(10001).ioLoopFaults(1)
                .listenerDrops(4).listenerFailures(6).ioLoopBusy(List.of(0.25, 0.5))
                .allocationSeconds(Histogram.of(new double[] {0.001, 0.01, 0.1}, new long[] {30, 8, 1, 1}, 0.75))
                .build();
    }

    @Test
    void everyRelayFigureUnderItsNameInTheTextFormat() {
        stub.stats(stats());
        Exposition e = scrape(Format.PROMETHEUS);
        assertEquals(12, e.value("relay_channels_live"));
        assertEquals(2500, e.value("relay_channels_capacity"));
        assertEquals(40, e.value("relay_channels_allocated_total"));
        assertEquals(20, e.value("relay_channels_destroyed_total", "reason", "expired"));
        assertEquals(1, e.value("relay_channels_destroyed_total", "reason", "fault"));
        for (DestroyReason r : DestroyReason.values()) {
            e.value("relay_channels_destroyed_total", "reason", r.name().toLowerCase());
        }
        assertEquals(3, e.value("relay_allocations_denied_total", "reason", "ports_exhausted", "policy", ""));
        assertEquals(5, e.value("relay_allocations_denied_total", "reason", "policy", "policy", ""));
        assertEquals(0, e.value("relay_allocations_denied_total", "reason", "resources"));
        assertEquals(RelayDeniedException.Reason.values().length, e.find("relay_allocations_denied_total").size());
        assertEquals(1000, e.value("relay_forwarded_packets_total"));
        assertEquals(172_000, e.value("relay_forwarded_bytes_total"));
        assertEquals(7, e.value("relay_dropped_packets_total", "reason", "rate_limited"));
        assertEquals(2, e.value("relay_dropped_packets_total", "reason", "foreign_source"));
        for (String reason : List.of("not_latched", "foreign_source", "loop", "send_buffer_full", "send_error",
                "unexpected_peer", "scan_guard", "rate_limited")) {
            e.value("relay_dropped_packets_total", "reason", reason);
        }
        assertEquals(9952, e.value("relay_ports_free"));
        assertEquals(10001, e.value("relay_ports_total"));
        assertEquals(0.25, e.value("relay_io_loop_busy_ratio", "loop", "0"));
        assertEquals(0.5, e.value("relay_io_loop_busy_ratio", "loop", "1"));
        assertEquals(1, e.value("relay_io_loop_faults_total"));
        assertEquals(4, e.value("relay_listener_events_dropped_total"));
        assertEquals(6, e.value("relay_listener_failures_total"));
        assertEquals(0, e.value("relay_http_auth_failures_total"));
        assertEquals(0, e.value("relay_draining"));

        assertEquals("histogram", e.types().get("relay_allocation_seconds"));
        assertEquals(30, e.value("relay_allocation_seconds_bucket", "le", "0.001"));
        assertEquals(38, e.value("relay_allocation_seconds_bucket", "le", "0.01"));
        assertEquals(39, e.value("relay_allocation_seconds_bucket", "le", "0.1"));
        assertEquals(40, e.value("relay_allocation_seconds_bucket", "le", "+Inf"));
        assertEquals(40, e.value("relay_allocation_seconds_count"));
        assertEquals(0.75, e.value("relay_allocation_seconds_sum"));
        assertEquals("counter", e.types().get("relay_channels_allocated_total"));
        assertEquals("gauge", e.types().get("relay_channels_live"));
    }

    @Test
    void policyDenialsAreSplitByTheDenyingPolicy() {
        RelayStats s = RelayStats.builder().started(Instant.EPOCH)
                .denied(Map.of(RelayDeniedException.Reason.POLICY, 5L, RelayDeniedException.Reason.CAPACITY, 1L))
                .deniedByPolicy(Map.of("whitelist", 3L, "quota", 2L)).build();
        stub.stats(s);
        Exposition e = scrape(Format.PROMETHEUS);
        assertEquals(3, e.value("relay_allocations_denied_total", "reason", "policy", "policy", "whitelist"));
        assertEquals(2, e.value("relay_allocations_denied_total", "reason", "policy", "policy", "quota"));
        assertEquals(1, e.value("relay_allocations_denied_total", "reason", "capacity", "policy", ""));
    }

    @Test
    void labelsAreLowerCaseAndEveryRelayFamilyHasHelp() {
        stub.stats(stats());
        for (Format f : Format.values()) {
            Exposition e = scrape(f);
            for (Exposition.Sample s : e.samples()) {
                if (s.name().startsWith("relay_")) {
                    s.labels().forEach((k, v) -> {
                        assertEquals(k.toLowerCase(), k, s.toString());
                        if (!k.equals("le")) { // +Inf is written so by the format
                            assertEquals(v.toLowerCase(), v, s.toString());
                        }
                    });
                }
            }
            e.types().keySet().stream().filter(n -> n.startsWith("relay_"))
                    .forEach(n -> assertFalse(e.help().getOrDefault(n, "").isBlank(), n));
        }
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        stub.stats(stats());
        Exposition e = scrape(Format.OPENMETRICS);
        assertEquals("counter", e.types().get("relay_channels_allocated"));
        assertEquals(40, e.value("relay_channels_allocated_total"));
        assertEquals(40, e.value("relay_allocation_seconds_count"));
        assertTrue(Call.get("/metrics").accept(PROMETHEUS_ACCEPT).on(api).body().endsWith("# EOF\n"));
    }

    @Test
    void theFormatFollowsTheAcceptHeader() {
        assertFalse(Metrics.prefersOpenMetrics(null));
        assertFalse(Metrics.prefersOpenMetrics("*/*"));
        assertFalse(Metrics.prefersOpenMetrics("text/plain"));
        assertFalse(Metrics.prefersOpenMetrics("text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5"));
        assertFalse(Metrics.prefersOpenMetrics("application/openmetrics-text;q=0"));
        assertFalse(Metrics.prefersOpenMetrics("application/openmetrics-text;version=2.0.0"));
        assertTrue(Metrics.prefersOpenMetrics("application/openmetrics-text"));
        assertTrue(Metrics.prefersOpenMetrics("Application/OpenMetrics-Text; Version=1.0.0"));
        assertTrue(Metrics.prefersOpenMetrics(PROMETHEUS_ACCEPT));
    }

    @Test
    void theJvmsStandardMetricsUnderTheirUsualNames() {
        Exposition e = scrape(Format.PROMETHEUS);
        for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_memory_pool_used_bytes",
                "jvm_gc_collection_seconds_count", "jvm_gc_collection_seconds_sum", "jvm_threads_current",
                "jvm_threads_daemon", "jvm_threads_state", "jvm_classes_currently_loaded", "jvm_buffer_pool_used_bytes",
                "jvm_runtime_info", "process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds",
                "process_max_fds", "process_resident_memory_bytes")) {
            assertFalse(e.find(name).isEmpty(), name + " in " + e.sampleNames());
        }
        assertTrue(e.value("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(e.value("process_open_fds") > 0);
    }

    @Test
    void aRealCoresFiguresFlowThrough() throws Exception {
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1", "public.address",
                "127.0.0.1", "port.min", 26200, "port.max", 26299, "io.threads", 2, "max.channels", 10)));
        api.useRelay(core);
        String id = JsonParser.parseString(Call.allocate("{\"user\": \"alice@example.com\"}").on(api).body())
                .getAsJsonObject().get("id").getAsString();
        int portA = core.channel(id).orElseThrow().portA();
        int portB = core.channel(id).orElseThrow().portB();
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            b.send(portB, "latch B"); // dropped: A has no peer yet
            Poll.until("B's datagram dropped", () -> core.stats().forwarded().dropped().getOrDefault(DropReason.NOT_LATCHED, 0L) == 1);
            a.send(portA, "hello");
            b.receive(2000);
        }
        Poll.until("both loops to report their busy share", () -> core.stats().ioLoopBusy().size() == 2);
        Exposition e = scrape(Format.PROMETHEUS);
        assertEquals(1, e.value("relay_channels_live"));
        assertEquals(10, e.value("relay_channels_capacity"));
        assertEquals(1, e.value("relay_channels_allocated_total"));
        assertEquals(1, e.value("relay_forwarded_packets_total"));
        assertEquals(5, e.value("relay_forwarded_bytes_total"));
        assertEquals(1, e.value("relay_dropped_packets_total", "reason", "not_latched"));
        assertEquals(100, e.value("relay_ports_total"));
        assertEquals(96, e.value("relay_ports_free"));
        assertEquals(1, e.value("relay_allocation_seconds_count"));
        assertEquals(2, e.find("relay_io_loop_busy_ratio").size());
    }

    @Test
    void theSameAccessRulesAsTheRestOfTheApi() {
        api.useToken(RestApiTest.TOKEN);
        assertEquals(401, Call.get("/metrics").on(api).status());
        assertEquals(401, Call.get("/metrics").bearer("wrong-wrong-wrong").on(api).status());
        ApiResponse ok = Call.get("/metrics").bearer(RestApiTest.TOKEN).host("relay.example.com").on(api);
        assertEquals(200, ok.status());
        assertEquals(1, Exposition.parse(ok.body(), Format.PROMETHEUS).value("relay_http_auth_failures_total"));

        api.useToken("");
        assertEquals(401, Call.get("/metrics").from(Call.elsewhere("192.0.2.1")).on(api).status());
        ApiResponse rebound = Call.get("/metrics").host("rebind.example.com").on(api);
        assertEquals(403, rebound.status());
        assertEquals("forbidden_host", JsonParser.parseString(rebound.body()).getAsJsonObject().get("error").getAsString());
        assertEquals(ApiResponse.JSON, rebound.contentType());
        ApiResponse post = Call.post("/metrics", "{}").on(api);
        assertEquals(405, post.status());
        assertEquals("GET", post.headers().get("Allow"));
        assertEquals(400, Call.get("/metrics").query("a=%zz").on(api).status());
        assertEquals(404, Call.get("/metrics/x").on(api).status());
        assertEquals(404, Call.get("/relay/metrics").on(api).status());

        api.useRelay(null);
        assertEquals(503, Call.get("/metrics").on(api).status());
    }
}
