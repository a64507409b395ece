package relay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What Linux tells about a process in {@code /proc/<pid>}: CPU time of all its threads
 * (utime + stime of {@code stat}), resident memory ({@code VmRSS} of {@code status}), threads and
 * open files. Parsing is separate from reading so it can be checked on fixed text.
 */
final class ProcessStats {

    private static final Path PROC = Path.of("/proc");
    private static volatile long clockTicks;

    private ProcessStats() {
    }

    /** CPU time (user + system, all threads, living and dead) of a process, in seconds. */
    static double cpuSeconds(long pid) {
        return (double) cpuTicks(read(pid, "stat")) / clockTicksPerSecond();
    }

    /** Resident set size of a process in kB. */
    static long rssKb(long pid) {
        return statusKb(read(pid, "status"), "VmRSS");
    }

    static int threads(long pid) {
        return count(pid, "task");
    }

    static int openFiles(long pid) {
        return count(pid, "fd");
    }

    /**
     * Time the process's live threads have waited for a CPU while runnable, in nanoseconds (the
     * run delay of {@code /proc/<pid>/task/<tid>/schedstat}); -1 where the kernel keeps no
     * schedstat. Threads that ended take their figure with them.
     */
    static long runDelayNanos(long pid) {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += schedstat(Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII))[1];
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * The calling thread's CPU time and run delay in nanoseconds, from
     * {@code /proc/thread-self/schedstat}; null where the kernel keeps no schedstat.
     */
    static long[] threadSelfSchedstat() {
        try {
            return schedstat(Files.readString(PROC.resolve("thread-self").resolve("schedstat"), StandardCharsets.US_ASCII));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** CPU time and run delay (ns) of a {@code schedstat} line: "cpu_ns delay_ns timeslices". */
    static long[] schedstat(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) {
            throw new IllegalArgumentException("not a schedstat line: " + abbreviate(line));
        }
        try {
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a schedstat line: " + abbreviate(line), e);
        }
    }

    static boolean alive(long pid) {
        return Files.isDirectory(PROC.resolve(Long.toString(pid)));
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in clock ticks. The
     * command name (field 2) is in parentheses and may hold spaces and parentheses itself, so
     * fields are counted from the last ')'.
     */
    static long cpuTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(statLine));
        }
        String[] fields = statLine.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        if (fields.length < 13) {
            throw new IllegalArgumentException("/proc/<pid>/stat line too short: " + abbreviate(statLine));
        }
        try {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("utime/stime not numbers in: " + abbreviate(statLine), e);
        }
    }

    /** The value in kB of a {@code Key:   123 kB} line of {@code /proc/<pid>/status}. */
    static long statusKb(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("no number in status line: " + line, e);
                }
            }
        }
        throw new IllegalArgumentException("no " + key + " line in /proc/<pid>/status (a kernel thread or a zombie?)");
    }

    /** The kernel's USER_HZ (CLK_TCK), asked once of getconf; 100 on every usual Linux. */
    static long clockTicksPerSecond() {
        long ticks = clockTicks;
        if (ticks == 0) {
            ticks = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    ticks = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // getconf missing or odd: keep the Linux default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clockTicks = ticks;
        }
        return ticks;
    }

    private static String read(long pid, String file) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("process " + pid + " is not running", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    private static int count(long pid, String dir) {
        try (Stream<Path> s = Files.list(PROC.resolve(Long.toString(pid)).resolve(dir))) {
            return (int) s.count();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("process " + pid + " is not running", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/" + pid + "/" + dir, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** This process's soft limit of open files (ulimit -n), or -1 when unknown; children inherit it. */
    static long openFileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return -1;
    }
}
