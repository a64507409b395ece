package relay.bench;

/**
 * The rates of a sweep: start, then x factor per clean step until a step fails (a failing step
 * is tried once more before it counts, twice when other processes disturbed it: one stall of a
 * shared machine is no verdict), then
 * bisection between the last clean and the first failing rate until they are within 10 %.
 * Bounded by a number of steps, retries included.
 */
final class SweepPlan {

    /** How a step went. */
    enum Verdict {
        /** Loss within the limit, latency within the limit, the generator offered what was asked. */
        CLEAN,
        /** Loss above the limit while the generator kept up: the relay's limit. */
        RELAY,
        /** Median latency above the limit: a standing queue, the relay is saturated. */
        LATENCY,
        /** The generator could not offer the rate (below 97 % of it). */
        GENERATOR,
        /** Not clean, but other processes competed for the CPUs during the step: no verdict on the relay. */
        NOISY
    }

    static final int MAX_RATE = 2_000_000;
    /** A generator that offered less than this share of the target did not keep up. */
    static final double GENERATOR_SHARE = 0.97;

    private final double factor;
    private final int maxSteps;
    private int rate;
    private int steps;
    private int retries;
    private boolean done;
    private long maxClean;
    private int firstFail;
    private Verdict limitedBy;
    private boolean restart;

    SweepPlan(int start, double factor, int maxSteps) {
        if (start < 1000 || factor <= 1 || maxSteps < 1) {
            throw new IllegalArgumentException("sweep needs start >= 1000, factor > 1, steps >= 1");
        }
        this.rate = start;
        this.factor = factor;
        this.maxSteps = maxSteps;
    }

    /** The verdict on one step from what the generator offered, lost and measured. */
    static Verdict judge(Window w, double lossLimitPct, int p50LimitUs, boolean noisy) {
        boolean generatorShort = w.offeredPps() < GENERATOR_SHARE * w.targetRate;
        boolean clean = w.lossPct() <= lossLimitPct && !generatorShort
                && !(p50LimitUs > 0 && w.latencyUs(0.5) > p50LimitUs);
        if (clean) {
            return Verdict.CLEAN;
        }
        if (noisy) {
            return Verdict.NOISY;
        }
        if (w.lossPct() > lossLimitPct) {
            return generatorShort ? Verdict.GENERATOR : Verdict.RELAY;
        }
        if (p50LimitUs > 0 && w.latencyUs(0.5) > p50LimitUs) {
            return Verdict.LATENCY;
        }
        return generatorShort ? Verdict.GENERATOR : Verdict.CLEAN;
    }

    boolean hasNext() {
        return !done;
    }

    int rate() {
        return rate;
    }

    /**
     * Records the verdict of the step at {@link #rate()}. {@code achieved} is the rate the
     * generator did offer: when it could not offer more but what it did offer went through
     * cleanly, that rate counts as clean.
     */
    void record(Verdict verdict, long achieved, boolean lossWithinLimit) {
        if (done) {
            throw new IllegalStateException("the sweep is over");
        }
        steps++;
        restart = verdict != Verdict.CLEAN;
        boolean retry = false;
        if (verdict == Verdict.CLEAN) {
            maxClean = Math.max(maxClean, rate);
            retries = 0;
        } else if (retries < (verdict == Verdict.NOISY ? 2 : verdict == Verdict.GENERATOR ? 0 : 1)) {
            retries++;                                    // same rate once more
            retry = true;
        } else {
            retries = 0;
            firstFail = rate;
            limitedBy = verdict;
            if (verdict == Verdict.GENERATOR) {           // cannot offer more: stop here
                if (lossWithinLimit && achieved > maxClean) {
                    maxClean = achieved;
                }
                done = true;
            }
        }
        if (!done && !retry) {
            next();
        }
        if (steps >= maxSteps) {
            done = true;
        }
    }

    private void next() {
        if (firstFail == 0) {                             // still growing
            int grown = (int) Math.round(rate * factor / 1000) * 1000;
            rate = Math.max(grown, rate + 1000);
            if (rate > MAX_RATE) {
                done = true;
            }
        } else {                                          // bisect
            long lo = maxClean;
            if (firstFail - lo <= firstFail / 10) {
                done = true;
                return;
            }
            int mid = (int) ((lo + firstFail) / 2 / 1000 * 1000);
            if (mid <= lo) {
                done = true;
            } else {
                rate = mid;
            }
        }
    }

    /** True after a failing step: overload may have left lasting damage, so start the relay afresh. */
    boolean restartWanted() {
        return restart;
    }

    int steps() {
        return steps;
    }

    long maxClean() {
        return maxClean;
    }

    int firstFail() {
        return firstFail;
    }

    /** relay, latency, generator, noisy; or not-reached if no step failed. */
    String limitedBy() {
        return limitedBy == null ? "not-reached" : limitedBy.name().toLowerCase();
    }
}
