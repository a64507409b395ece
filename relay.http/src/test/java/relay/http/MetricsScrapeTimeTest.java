package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.RelayDeniedException;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;
import relay.testing.Exposition;
import relay.testing.Exposition.Format;

/**
 * How long {@code GET /metrics} takes with 10,000 live channels (rtcp off, ports 33000-60999): the
 * relay's stats (a lock-free pass over every channel's counters), the JVM's metrics and the
 * exposition, as the API answers a scrape. Prints the figures (README, "Metrics"); the 100 ms
 * target is not a test timeout. Each channel holds two sockets: a process allowed fewer than about
 * 20,500 descriptors ({@code ulimit -n}) holds fewer channels, and the line says how many.
 */
class MetricsScrapeTimeTest {

    private static final int CHANNELS = 10_000;
    private static final int WARM_UP = 30;
    private static final int SCRAPES = 100;

    private final CapturedLog log = new CapturedLog("relay.http");
    private RelayCore core;

    @AfterEach
    void stop() {
        if (core != null) {
            core.deactivate();
        }
        log.close();
    }

    @Test
    void aScrapeWithTenThousandLiveChannels() throws Exception {
        core = new RelayCore();
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1", "public.address",
                "127.0.0.1", "port.min", 33000, "port.max", 60999, "rtcp", "false", "io.threads", 2,
                "max.channels", CHANNELS, "idle.timeout", 600)));
        int target = Math.min(CHANNELS, roomForChannels());
        int live = 0;
        try {
            for (; live < target; live++) {
                core.allocate(ChannelRequest.of("user" + live % 500 + "@example.com"));
            }
        } catch (RelayDeniedException e) {
            assertEquals(RelayDeniedException.Reason.RESOURCES, e.reason(), e.getMessage());
        }
        assertTrue(live >= 1000, "only " + live + " channels could be opened");
        RestApi api = new RestApi(log.logger());
        api.useRelay(core);

        ApiResponse first = null;
        for (int i = 0; i < WARM_UP; i++) {
            first = Call.get("/metrics").on(api);
        }
        Exposition e = Exposition.parse(first.body(), Format.PROMETHEUS);
        assertEquals(live, e.value("relay_channels_live"));

        long[] nanos = new long[SCRAPES];
        long[] statsNanos = new long[SCRAPES];
        long[] fdNanos = new long[SCRAPES];
        com.sun.management.UnixOperatingSystemMXBean unix =
                (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int bytes = 0;
        for (int i = 0; i < SCRAPES; i++) {
            long t0 = System.nanoTime();
            core.stats();
            statsNanos[i] = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            unix.getOpenFileDescriptorCount(); // what process_open_fds costs: a listing of /proc/self/fd
            fdNanos[i] = System.nanoTime() - t1;
            long start = System.nanoTime();
            ApiResponse r = Call.get("/metrics").on(api);
            nanos[i] = System.nanoTime() - start;
            assertEquals(200, r.status());
            bytes = r.body().length();
        }
        Arrays.sort(nanos);
        Arrays.sort(statsNanos);
        Arrays.sort(fdNanos);
        System.out.printf("GET /metrics with %,d live channels: median %.2f ms, p95 %.2f ms, max %.2f ms over %d scrapes"
                + " (%,d bytes; of which the relay's stats: median %.2f ms; counting open descriptors: median %.2f ms)%n", live, nanos[SCRAPES / 2] / 1e6, nanos[SCRAPES * 95 / 100] / 1e6,
                nanos[SCRAPES - 1] / 1e6, SCRAPES, bytes, statsNanos[SCRAPES / 2] / 1e6,
                fdNanos[SCRAPES / 2] / 1e6);
    }

    /**
     * @return how many 2-socket channels fit in this process's descriptor limit, leaving 400 for the
     *         JVM (class loading, the test's own files); all of 10,000 need a limit of about 20,500
     */
    private static int roomForChannels() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 400;
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, free / 2));
        }
        return CHANNELS;
    }
}
