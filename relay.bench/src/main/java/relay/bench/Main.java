package relay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar relay.bench.jar [options]}: one bounded benchmark run; the report is one JSON
 * line on stdout, the table and progress go to stderr. Exit codes: 0 done, 1 failed, 2 bad
 * command line, 3 time limit exceeded.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("relay.bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        System.exit(run(o, System.out, System.err, true));
    }

    /** Runs the bench; {@code guard} adds the time limit and an interrupt handler that stop the relay. */
    static int run(BenchOptions o, PrintStream out, PrintStream err, boolean guard) {
        try (BenchLock lock = o.lock ? BenchLock.acquire(BenchLock.PATH) : null;
             Bench bench = new Bench(o, err)) {
            Thread hook = null;
            if (guard) {
                hook = new Thread(bench::kill, "relay.bench-interrupt");
                Runtime.getRuntime().addShutdownHook(hook);
                startWatchdog(bench, timeLimitSeconds(o), err);
            }
            try {
                Map<String, Object> report = bench.run();
                out.println(Json.write(report));
                out.flush();
                return 0;
            } catch (IOException | RuntimeException e) {
                bench.failed();
                err.println("relay.bench: " + e.getMessage());
                return 1;
            } finally {
                if (hook != null) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        } catch (IOException e) {
            err.println("relay.bench: " + e.getMessage());
            return 1;
        }
    }

    /** A generous upper bound for the whole run: relay start, allocation, traffic, teardown. */
    static long timeLimitSeconds(BenchOptions o) {
        long start = 60 + 30;                          // JVM and REST up, configuration in force
        long alloc = 5 + o.flows / 50;                 // 20 ms per channel is slow for a REST call
        long setup = start + alloc;
        long work = switch (o.mode) {
            case FIXED -> 2 + o.warmup + o.seconds + 1;
            case SWEEP -> (long) o.maxSteps * (o.stepSeconds + 2 + setup + 2 + o.warmup);
            case IDLE_MEM -> 2 + 2 * 60;               // settle, two heap histograms
            // rounds of three windows, each with its drain and the relay's backlog; waits for quiet CPUs
            // warm-up and measured rounds of N allocations and N deletions, at 100 requests/s at worst
            case ALLOC_RATE, ALLOC_INPROCESS -> (long) (o.allocWarmupRounds + o.allocRounds) * (5 + 2L * o.allocChannels / 100);
            case FLOOD -> 2 + o.warmup + (long) (o.floodRounds * 3 + 1) * (o.seconds + 2 + Bench.BACKLOG_MAX_MS / 1000)
                    + 12 + 1;
        };
        return setup + work + 60;                      // teardown and slack
    }

    private static void startWatchdog(Bench bench, long seconds, PrintStream err) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            err.println("relay.bench: time limit of " + seconds + " s exceeded, stopping");
            bench.kill();
            Runtime.getRuntime().halt(3);
        }, "relay.bench-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
