package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

    /** Runs a plan against a relay model that answers each rate with a verdict. */
    private static List<Integer> run(SweepPlan plan, IntFunction<SweepPlan.Verdict> relay) {
        List<Integer> rates = new ArrayList<>();
        while (plan.hasNext()) {
            int r = plan.rate();
            rates.add(r);
            plan.record(relay.apply(r), r, relay.apply(r) == SweepPlan.Verdict.CLEAN);
        }
        return rates;
    }

    @Test
    void growsByTheFactorThenBisects() {
        SweepPlan plan = new SweepPlan(20_000, 1.5, 12);
        List<Integer> rates = run(plan, r -> r <= 100_000 ? SweepPlan.Verdict.CLEAN : SweepPlan.Verdict.RELAY);
        // 102000 fails twice (tried once more); bisection stops when clean and failing are within 10 %
        assertEquals(List.of(20_000, 30_000, 45_000, 68_000, 102_000, 102_000, 85_000, 93_000), rates);
        assertEquals(93_000, plan.maxClean());
        assertEquals(102_000, plan.firstFail());
        assertEquals("relay", plan.limitedBy());
        assertEquals(8, plan.steps());
    }

    @Test
    void aFailingStepIsTriedOnceMoreBeforeItCounts() {
        SweepPlan plan = new SweepPlan(20_000, 1.5, 10);
        int[] calls = {0};
        List<Integer> rates = new ArrayList<>();
        while (plan.hasNext() && rates.size() < 4) {
            int r = plan.rate();
            rates.add(r);
            // the second step stalls once (a noisy machine), then passes
            SweepPlan.Verdict v = r == 30_000 && calls[0]++ == 0 ? SweepPlan.Verdict.RELAY : SweepPlan.Verdict.CLEAN;
            plan.record(v, r, v == SweepPlan.Verdict.CLEAN);
            if (v != SweepPlan.Verdict.CLEAN) {
                assertTrue(plan.restartWanted(), "a failing step asks for a fresh relay");
            }
        }
        assertEquals(List.of(20_000, 30_000, 30_000, 45_000), rates);
        assertFalse(plan.restartWanted());
        assertEquals(45_000, plan.maxClean());
    }

    @Test
    void aGeneratorThatCannotKeepUpEndsTheSweepWithWhatItOffered() {
        SweepPlan plan = new SweepPlan(20_000, 1.5, 10);
        plan.record(SweepPlan.Verdict.CLEAN, 20_000, true);
        plan.record(SweepPlan.Verdict.GENERATOR, 27_500, true);   // asked 30000, offered 27500, all came back
        assertFalse(plan.hasNext());
        assertEquals(27_500, plan.maxClean());
        assertEquals(30_000, plan.firstFail());
        assertEquals("generator", plan.limitedBy());
    }

    @Test
    void stepsAreBounded() {
        SweepPlan plan = new SweepPlan(20_000, 1.5, 3);
        List<Integer> rates = run(plan, r -> SweepPlan.Verdict.CLEAN);
        assertEquals(3, rates.size());
        assertEquals(45_000, plan.maxClean());
        assertEquals("not-reached", plan.limitedBy());
        assertThrows(IllegalStateException.class, () -> plan.record(SweepPlan.Verdict.CLEAN, 1, true));
    }

    @Test
    void theRateNeverPassesTheCeiling() {
        SweepPlan plan = new SweepPlan(1_000_000, 4, 12);
        List<Integer> rates = run(plan, r -> SweepPlan.Verdict.CLEAN);
        assertEquals(List.of(1_000_000), rates);
    }

    @Test
    void aSlowFactorStillAdvances() {
        SweepPlan plan = new SweepPlan(1_000, 1.05, 3);
        assertEquals(List.of(1_000, 2_000, 3_000), run(plan, r -> SweepPlan.Verdict.CLEAN));
    }

    @Test
    void judgeNamesWhatLimitedAStep() {
        assertEquals(SweepPlan.Verdict.CLEAN, SweepPlan.judge(window(10_000, 10_000, 10_000, 20_000), 0.5, 10_000, false));
        assertEquals(SweepPlan.Verdict.RELAY, SweepPlan.judge(window(10_000, 10_000, 9_900, 20_000), 0.5, 10_000, false));
        assertEquals(SweepPlan.Verdict.GENERATOR, SweepPlan.judge(window(10_000, 9_000, 8_000, 20_000), 0.5, 10_000, false));
        assertEquals(SweepPlan.Verdict.GENERATOR, SweepPlan.judge(window(10_000, 9_000, 9_000, 20_000), 0.5, 10_000, false));
        assertEquals(SweepPlan.Verdict.LATENCY, SweepPlan.judge(window(10_000, 10_000, 10_000, 50_000_000), 0.5, 10_000, false));
        assertEquals(SweepPlan.Verdict.CLEAN, SweepPlan.judge(window(10_000, 10_000, 10_000, 50_000_000), 0.5, 0, false),
                "p50 limit 0 is off");
    }

    @Test
    void aNoisyFailureGetsTwoMoreTriesAndNeverBlamesTheRelay() {
        assertEquals(SweepPlan.Verdict.NOISY, SweepPlan.judge(window(10_000, 10_000, 9_000, 20_000), 0.5, 10_000, true));
        assertEquals(SweepPlan.Verdict.CLEAN, SweepPlan.judge(window(10_000, 10_000, 10_000, 20_000), 0.5, 10_000, true),
                "a clean step is clean, disturbed or not");
        SweepPlan plan = new SweepPlan(20_000, 1.5, 10);
        plan.record(SweepPlan.Verdict.NOISY, 20_000, false);
        plan.record(SweepPlan.Verdict.NOISY, 20_000, false);
        assertEquals(20_000, plan.rate(), "still the same rate after two noisy tries");
        plan.record(SweepPlan.Verdict.NOISY, 20_000, false);
        assertEquals("noisy", plan.limitedBy());
        assertEquals(20_000, plan.firstFail());
        assertEquals(0, plan.maxClean());
    }

    /** A one-second window: rate asked, sent, received, every latency the same. */
    private static Window window(double target, long sent, long received, long latencyNanos) {
        Window w = new Window(1, target);
        w.startNanos = 0;
        w.endNanos = 1_000_000_000;
        w.sent = sent;
        w.received = received;
        for (int i = 0; i < 100; i++) {
            w.latency.record(latencyNanos);
        }
        return w;
    }
}
