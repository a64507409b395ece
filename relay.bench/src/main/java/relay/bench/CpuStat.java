package relay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Busy time of chosen CPUs, from the per-CPU lines of {@code /proc/stat} (user, nice, system,
 * irq, softirq and steal, in clock ticks). Less the CPU time of the processes pinned to those
 * CPUs, it is the time other processes (or the hypervisor) took there: a direct measure of
 * interference where the bench pinned the relay and the generator.
 */
final class CpuStat {

    private static final Path FILE = Path.of("/proc/stat");

    private CpuStat() {
    }

    /** Busy seconds of {@code cpus} since boot; NaN if {@code /proc/stat} cannot be read. */
    static double busySeconds(Set<Integer> cpus) {
        try {
            return busyTicks(Files.readString(FILE, StandardCharsets.US_ASCII), cpus)
                    / (double) ProcessStats.clockTicksPerSecond();
        } catch (IOException | IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /** Sum of user, nice, system, irq, softirq and steal of the {@code cpuN} lines of {@code cpus}. */
    static long busyTicks(String procStat, Set<Integer> cpus) {
        long sum = 0;
        Set<Integer> seen = new TreeSet<>();
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int cpu;
            try {
                cpu = Integer.parseInt(f[0].substring(3));
            } catch (NumberFormatException e) {
                continue;
            }
            if (!cpus.contains(cpu)) {
                continue;
            }
            if (f.length < 9) {
                throw new IllegalArgumentException("short /proc/stat line: " + line);
            }
            try {
                // user nice system idle iowait irq softirq steal: all but idle and iowait
                sum += Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a /proc/stat line: " + line, e);
            }
            seen.add(cpu);
        }
        if (!seen.equals(cpus)) {
            throw new IllegalArgumentException("no /proc/stat line for CPU " + cpus.stream().filter(c -> !seen.contains(c))
                    .findFirst().orElse(-1));
        }
        return sum;
    }

    /** The CPUs of a taskset list such as {@code 1} or {@code 0,2-3}. */
    static Set<Integer> cpus(String list) {
        Set<Integer> cpus = new TreeSet<>();
        for (String item : list.split(",")) {
            String[] range = item.trim().split("-");
            int first = Integer.parseInt(range[0].trim());
            int last = range.length > 1 ? Integer.parseInt(range[1].trim()) : first;
            if (range.length > 2 || last < first) {
                throw new IllegalArgumentException("not a CPU list: " + list);
            }
            for (int c = first; c <= last; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }
}
