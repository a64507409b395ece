package relay.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The foreign-flood figures of one run, from its three windows (no flood, the flood sent at a
 * sink of the bench's own, the flood sent at the relay), and the targets judged on them.
 *
 * <ul>
 * <li>CPU per forwarded datagram: the relay's CPU time in the no-flood window over the datagrams
 *     it forwarded in that window.
 * <li>CPU per dropped datagram: the relay's CPU time in the flood window, less what its
 *     forwarding costs at the no-flood window's price (forwarded datagrams of the flood window
 *     times CPU per forwarded datagram), over the datagrams it dropped in the flood window.
 * <li>p99 ratio: the flows' p99 latency in the flood window over the no-flood window's; the
 *     control ratio is the same for the window whose flood went to the sink, so it shows what
 *     the flood costs the generator itself (it shares the generator's CPUs).
 * </ul>
 *
 * A figure that cannot be computed (no forwarded or no dropped datagram, no CPU figures) is NaN,
 * and a target judged on it is null.
 *
 * @param cpuUsPerForwarded relay CPU microseconds per forwarded datagram (no-flood window)
 * @param cpuUsPerDropped   relay CPU microseconds per dropped datagram (flood window)
 * @param p99NoFloodUs      the flows' p99 latency without a flood
 * @param p99ControlUs      the flows' p99 latency while the flood goes to the sink
 * @param p99FloodUs        the flows' p99 latency while the flood goes to the relay
 */
record FloodFigures(double cpuUsPerForwarded, double cpuUsPerDropped, double p99NoFloodUs, double p99ControlUs,
        double p99FloodUs) {

    /** Target: the flows' p99 under the flood stays within this factor of the no-flood p99. */
    static final double P99_FACTOR = 2.0;
    /** The flood rate at which the issue states its p99 target. */
    static final int TARGET_FLOOD_PPS = 50_000;

    /**
     * @param noFloodCpuSeconds relay CPU time of the no-flood window
     * @param noFloodForwarded  datagrams the relay forwarded in it
     * @param floodCpuSeconds   relay CPU time of the flood window
     * @param floodForwarded    datagrams the relay forwarded in it
     * @param floodDropped      datagrams the relay dropped in it, all reasons
     */
    static FloodFigures of(double noFloodCpuSeconds, long noFloodForwarded, double floodCpuSeconds,
            long floodForwarded, long floodDropped, double p99NoFloodUs, double p99ControlUs, double p99FloodUs) {
        double perForwarded = noFloodForwarded > 0 ? noFloodCpuSeconds / noFloodForwarded : Double.NaN;
        double perDropped = floodDropped > 0
                ? (floodCpuSeconds - floodForwarded * perForwarded) / floodDropped : Double.NaN;
        return new FloodFigures(perForwarded * 1e6, perDropped * 1e6, p99NoFloodUs, p99ControlUs, p99FloodUs);
    }

    /** CPU per dropped datagram over CPU per forwarded datagram: at most 1 meets the target. */
    double dropToForwardCpu() {
        return cpuUsPerDropped / cpuUsPerForwarded;
    }

    double p99Ratio() {
        return p99FloodUs / p99NoFloodUs;
    }

    double p99ControlRatio() {
        return p99ControlUs / p99NoFloodUs;
    }

    /** CPU per dropped datagram at most CPU per forwarded datagram; null when either is unknown. */
    Boolean cpuTargetMet() {
        double r = dropToForwardCpu();
        return Double.isFinite(r) ? cpuUsPerDropped <= cpuUsPerForwarded : null;
    }

    /** The flows' p99 under the flood within {@link #P99_FACTOR} of the no-flood p99; null when unknown. */
    Boolean p99TargetMet() {
        double r = p99Ratio();
        return Double.isFinite(r) && p99NoFloodUs > 0 ? r <= P99_FACTOR : null;
    }

    /**
     * The median of each figure over rounds (NaN figures left out); the ratios and targets of the
     * result are those of the medians.
     */
    static FloodFigures median(List<FloodFigures> rounds) {
        return new FloodFigures(median(rounds.stream().mapToDouble(FloodFigures::cpuUsPerForwarded).toArray()),
                median(rounds.stream().mapToDouble(FloodFigures::cpuUsPerDropped).toArray()),
                median(rounds.stream().mapToDouble(FloodFigures::p99NoFloodUs).toArray()),
                median(rounds.stream().mapToDouble(FloodFigures::p99ControlUs).toArray()),
                median(rounds.stream().mapToDouble(FloodFigures::p99FloodUs).toArray()));
    }

    /** The median of the numbers that are not NaN (the mean of the middle two of an even count); NaN if none is. */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** The figures and the targets as JSON members. */
    void putJson(Map<String, Object> j) {
        j.put("cpu_us_per_fwd", cpuUsPerForwarded);
        j.put("cpu_us_per_drop", cpuUsPerDropped);
        j.put("drop_to_fwd_cpu", dropToForwardCpu());
        j.put("p99_us_no_flood", p99NoFloodUs);
        j.put("p99_us_control", p99ControlUs);
        j.put("p99_us_flood", p99FloodUs);
        j.put("p99_ratio", p99Ratio());
        j.put("p99_ratio_control", p99ControlRatio());
        j.put("target_cpu_per_drop", verdict(cpuTargetMet()));
        j.put("target_p99", verdict(p99TargetMet()));
    }

    /** "pass", "fail" or null: how the report and the table show a target. */
    static String verdict(Boolean met) {
        return met == null ? null : met ? "pass" : "fail";
    }
}
