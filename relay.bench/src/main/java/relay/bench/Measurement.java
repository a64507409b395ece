package relay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement window with the relay's and the generator's CPU time over exactly that window
 * (send phase and drain), and the relay's memory right after it. Relay figures are NaN / -1
 * when its process is unknown (a running relay given by URL without --pid). {@code cpuStallMs} is
 * the time some task waited for a CPU during the window (NaN without PSI), {@code quietWaitMs}
 * how long the bench waited for quiet CPUs before it. The queue drops are datagrams the kernel
 * dropped at full receive queues of the relay's ports (the relay read too slowly) and of the
 * generator's ports (not the relay's fault); -1 when unknown. {@code relayWaitMs} is how long the
 * relay's threads waited for a CPU while runnable (NaN when unknown); {@code ownStallMs} the part
 * of the CPU stall the bench caused itself with a thread besides the generator's (the foreign
 * flood's, on the generator's CPUs), which does not make a window noisy. {@code othersCpuMs} is
 * the most CPU time other processes took on the relay's or on the generator's CPUs during the
 * window (NaN when unknown: neither is pinned, or no relay process).
 */
record Measurement(Window window, double wallSeconds, double relayCpuSeconds, double generatorCpuSeconds,
        long relayRssKb, double cpuStallMs, long quietWaitMs, long relayQueueDrops, long generatorQueueDrops,
        double relayWaitMs, double ownStallMs, double othersCpuMs) {

    /**
     * A window is noisy when other processes took more than this share of it on the relay's or
     * the generator's CPUs. Time taken from a CPU is a direct measure, unlike a stall, and the
     * flows' tail latency feels a few hundred milliseconds of it in a 5 s window.
     */
    static final double OTHERS_SHARE = 0.05;

    Measurement(Window window, double wallSeconds, double relayCpuSeconds, double generatorCpuSeconds,
            long relayRssKb, double cpuStallMs, long quietWaitMs, long relayQueueDrops, long generatorQueueDrops) {
        this(window, wallSeconds, relayCpuSeconds, generatorCpuSeconds, relayRssKb, cpuStallMs, quietWaitMs,
                relayQueueDrops, generatorQueueDrops, Double.NaN, 0, Double.NaN);
    }

    /**
     * Other processes competed for the CPUs during the window: do not trust its figures. Where
     * the CPU time other processes took on the relay's and the generator's CPUs is known, more
     * than {@link #OTHERS_SHARE} of the window on either; else the CPU pressure, less the stall
     * the bench caused itself, over 15 % of the window.
     */
    boolean noisy() {
        if (!Double.isNaN(othersCpuMs)) {
            return othersCpuMs > OTHERS_SHARE * wallSeconds * 1000;
        }
        return CpuPressure.noisy(cpuStallMs - (Double.isNaN(ownStallMs) ? 0 : ownStallMs), wallSeconds);
    }

    /** The efficiency figure: relay CPU time per packet it forwarded (received back by the generator). */
    double cpuMicrosPerPacket() {
        return window.received == 0 ? Double.NaN : relayCpuSeconds * 1e6 / window.received;
    }

    /** Relay CPU time over wall time: 1.0 is one core fully busy. */
    double relayCpuUtil() {
        return relayCpuSeconds / wallSeconds;
    }

    double generatorCpuUtil() {
        return generatorCpuSeconds / wallSeconds;
    }

    /** The figures of the window as JSON members, in the order of the table. */
    Map<String, Object> toJson() {
        Window w = window;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_pps", Math.round(w.targetRate));
        m.put("offered_pps", w.offeredPps());
        m.put("recv_pps", w.receivedPps());
        m.put("loss_pct", w.lossPct());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", w.latencyUs(0.5));
        lat.put("p90", w.latencyUs(0.9));
        lat.put("p99", w.latencyUs(0.99));
        lat.put("p999", w.latencyUs(0.999));
        lat.put("max", w.latency.max() / 1000.0);
        m.put("lat_us", lat);
        m.put("cpu_us_per_pkt", cpuMicrosPerPacket());
        m.put("relay_cpu_s", relayCpuSeconds);
        m.put("relay_cpu_util", relayCpuUtil());
        m.put("relay_rss_kb", relayRssKb < 0 ? null : relayRssKb);
        m.put("gen_cpu_util", generatorCpuUtil());
        m.put("sent", w.sent);
        m.put("received", w.received);
        m.put("window_s", w.seconds());
        m.put("gen_skipped", w.skipped);
        m.put("send_full", w.sendFull);
        m.put("icmp_errors", w.icmpErrors);
        m.put("misrouted", w.misrouted);
        m.put("reordered", w.reordered);
        m.put("stray", w.stray);
        m.put("wrong_size", w.wrongSize);
        m.put("relay_rx_drops", relayQueueDrops < 0 ? null : relayQueueDrops);
        m.put("gen_rx_drops", generatorQueueDrops < 0 ? null : generatorQueueDrops);
        m.put("psi_cpu_some_ms", cpuStallMs);
        if (!Double.isNaN(relayWaitMs)) {
            m.put("relay_wait_ms", relayWaitMs);
        }
        if (!Double.isNaN(othersCpuMs)) {
            m.put("others_cpu_ms", othersCpuMs);
        }
        m.put("noisy", Double.isNaN(cpuStallMs) && Double.isNaN(othersCpuMs) ? null : noisy());
        m.put("quiet_wait_s", quietWaitMs / 1000.0);
        return m;
    }
}
