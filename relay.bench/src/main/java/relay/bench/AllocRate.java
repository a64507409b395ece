package relay.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The allocation-rate rounds of {@code --alloc-rate} and {@code --alloc-rate-inprocess}: from
 * one thread, N allocations for N distinct users (bench-0@localhost ...), each timed as the
 * caller saw it, then N destructions; a warm-up round that is not reported, then the measured
 * rounds. Any refusal stops the run: what the round allocated is destroyed, and the error names
 * the allocation and the answer.
 */
final class AllocRate {

    /** Allocation and destruction, by REST or in-process. */
    interface Allocator {
        /** Allocates a channel for {@code user}; returns its id, or throws naming what the relay answered. */
        String allocate(String user) throws IOException;

        /** Destroys the channel; throws naming what the relay answered unless it is gone. */
        void destroy(String id) throws IOException;
    }

    /**
     * One round's figures. CPU seconds are NaN when unknown (no process to read).
     *
     * @param allocNanos every allocation's duration as the caller saw it, in the order made
     */
    record Round(boolean warmup, int round, int channels, long allocNanosTotal, long destroyNanosTotal, long[] allocNanos,
            double relayCpuAllocS, double relayCpuDestroyS, double callerCpuAllocS) {

        double allocsPerSecond() {
            return channels * 1e9 / allocNanosTotal;
        }

        double destroysPerSecond() {
            return channels * 1e9 / destroyNanosTotal;
        }

        /** The q-quantile of the allocation latency, microseconds (nearest rank). */
        double latencyUs(double q) {
            return quantile(allocNanos, q) / 1000.0;
        }

        /** The relay's CPU per allocation, microseconds; NaN when unknown. */
        double relayCpuUsPerAlloc() {
            return relayCpuAllocS * 1e6 / channels;
        }

        Map<String, Object> toJson() {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("round", round);
            if (warmup) {
                j.put("warmup", true);
            }
            j.put("channels", channels);
            j.put("allocs_per_s", allocsPerSecond());
            j.put("deletes_per_s", destroysPerSecond());
            j.put("alloc_s", allocNanosTotal / 1e9);
            j.put("delete_s", destroyNanosTotal / 1e9);
            j.put("alloc_lat_us", latency());
            j.put("relay_cpu_us_per_alloc", relayCpuUsPerAlloc());
            j.put("relay_cpu_us_per_delete", relayCpuDestroyS * 1e6 / channels);
            j.put("caller_cpu_us_per_alloc", callerCpuAllocS * 1e6 / channels);
            return j;
        }

        /** "round 2" or "warm-up round 1". */
        String label() {
            return (warmup ? "warm-up round " : "round ") + round;
        }

        Map<String, Object> latency() {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("p50", latencyUs(0.5));
            l.put("p99", latencyUs(0.99));
            l.put("max", latencyUs(1.0));
            return l;
        }
    }

    private final Allocator allocator;
    private final int channels;
    private final DoubleSupplier relayCpu;
    private final DoubleSupplier callerCpu;
    private Runnable beforeRound = () -> { };

    /**
     * @param relayCpu the relay's CPU seconds so far (NaN when unknown)
     * @param callerCpu the caller's CPU seconds so far (NaN when unknown)
     */
    AllocRate(Allocator allocator, int channels, DoubleSupplier relayCpu, DoubleSupplier callerCpu) {
        this.allocator = allocator;
        this.channels = channels;
        this.relayCpu = relayCpu;
        this.callerCpu = callerCpu;
    }

    /** Something to do before each round, outside its figures (a GC of an in-process heap). */
    AllocRate beforeRound(Runnable r) {
        beforeRound = r;
        return this;
    }

    static String user(int i) {
        return "bench-" + i + "@localhost";
    }

    /** One round, measured or warm-up. */
    Round round(boolean warmup, int round) throws IOException {
        String[] ids = new String[channels];
        long[] lat = new long[channels];
        beforeRound.run();
        double relay0 = relayCpu.getAsDouble();
        double caller0 = callerCpu.getAsDouble();
        long t0 = System.nanoTime();
        int made = 0;
        try {
            for (; made < channels; made++) {
                long s = System.nanoTime();
                ids[made] = allocator.allocate(user(made));
                lat[made] = System.nanoTime() - s;
            }
        } catch (IOException | RuntimeException e) {
            giveBack(ids, made);
            throw new IOException((warmup ? "warm-up round " : "round ") + round + ": allocation " + (made + 1)
                    + " of " + channels + " failed: " + e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        double relay1 = relayCpu.getAsDouble();
        double caller1 = callerCpu.getAsDouble();
        for (int i = 0; i < channels; i++) {
            try {
                allocator.destroy(ids[i]);
            } catch (IOException | RuntimeException e) {
                giveBack(Arrays.copyOfRange(ids, i + 1, channels), channels - i - 1);
                throw new IOException((warmup ? "warm-up round " : "round ") + round + ": deletion " + (i + 1)
                        + " of " + channels + " failed: " + e.getMessage(), e);
            }
        }
        long t2 = System.nanoTime();
        double relay2 = relayCpu.getAsDouble();
        return new Round(warmup, round, channels, t1 - t0, t2 - t1, lat, relay1 - relay0, relay2 - relay1, caller1 - caller0);
    }

    /**
     * {@code warmupRounds} warm-up rounds (their figures added to {@code warmups} when given),
     * then {@code rounds} measured rounds, returned.
     */
    List<Round> run(int warmupRounds, int rounds, List<Round> warmups) throws IOException {
        for (int w = 1; w <= warmupRounds; w++) {
            Round x = round(true, w);
            if (warmups != null) {
                warmups.add(x);
            }
        }
        List<Round> list = new ArrayList<>(rounds);
        for (int r = 1; r <= rounds; r++) {
            list.add(round(false, r));
        }
        return list;
    }

    /** Best effort: a failed round leaves no channel behind. */
    private void giveBack(String[] ids, int n) {
        for (int i = 0; i < n; i++) {
            try {
                allocator.destroy(ids[i]);
            } catch (IOException | RuntimeException e) {
                return;                                   // the relay is in trouble: the run reports the first error
            }
        }
    }

    /** Nearest-rank quantile of unsorted values (NaN for none). */
    static double quantile(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.min(v.length - 1, Math.max(0, rank - 1))];
    }

    /** The medians over the measured rounds, as JSON members, and the rounds themselves. */
    static void putJson(Map<String, Object> r, List<Round> rounds, List<Round> warmups) {
        r.put("allocs_per_s", median(rounds, Round::allocsPerSecond));
        r.put("deletes_per_s", median(rounds, Round::destroysPerSecond));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", median(rounds, x -> x.latencyUs(0.5)));
        lat.put("p99", median(rounds, x -> x.latencyUs(0.99)));
        r.put("alloc_lat_us", lat);
        r.put("relay_cpu_us_per_alloc", median(rounds, Round::relayCpuUsPerAlloc));
        r.put("warmup", warmups.stream().map(Round::toJson).toList());
        r.put("per_round", rounds.stream().map(Round::toJson).toList());
    }

    static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
        return FloodFigures.median(rounds.stream().mapToDouble(value).toArray());
    }

    /** The table on stderr: the warm-up, each round, the medians. */
    static Table table(List<Round> rounds, List<Round> warmups) {
        Table t = new Table("round", "channels", "allocs/s", "deletes/s", "alloc p50 us", "alloc p99 us",
                "alloc max us", "relay CPU us/alloc");
        for (Round w : warmups) {
            row(t, "warm-up " + w.round(), w);
        }
        for (Round x : rounds) {
            row(t, Integer.toString(x.round()), x);
        }
        t.row("median", rounds.isEmpty() ? "-" : rounds.get(0).channels(), median(rounds, Round::allocsPerSecond),
                median(rounds, Round::destroysPerSecond), median(rounds, x -> x.latencyUs(0.5)),
                median(rounds, x -> x.latencyUs(0.99)), "-", median(rounds, Round::relayCpuUsPerAlloc));
        return t;
    }

    private static void row(Table t, String label, Round x) {
        t.row(label, x.channels(), x.allocsPerSecond(), x.destroysPerSecond(), x.latencyUs(0.5), x.latencyUs(0.99),
                x.latencyUs(1.0), x.relayCpuUsPerAlloc());
    }
}
