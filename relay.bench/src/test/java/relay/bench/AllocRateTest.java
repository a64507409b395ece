package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocRateTest {

    /** A relay in a set: refuses the allocation numbered {@code refuse} (1-based over the run), 0 never. */
    private static final class FakeRelay implements AllocRate.Allocator {
        final Set<String> live = new LinkedHashSet<>();
        final List<String> users = new ArrayList<>();
        final int refuse;
        int next;

        FakeRelay(int refuse) {
            this.refuse = refuse;
        }

        @Override
        public String allocate(String user) throws IOException {
            users.add(user);
            if (++next == refuse) {
                throw new IOException("POST /channels for " + user + " answered 503: {}");
            }
            String id = "ch" + next;
            live.add(id);
            return id;
        }

        @Override
        public void destroy(String id) throws IOException {
            if (!live.remove(id)) {
                throw new IOException("no channel " + id);
            }
        }
    }

    @Test
    void aWarmUpAndTheMeasuredRoundsEachAllocateAndDestroyEveryChannel() throws Exception {
        FakeRelay relay = new FakeRelay(0);
        List<AllocRate.Round> warmup = new ArrayList<>();
        int[] gcs = {0};
        List<AllocRate.Round> rounds = new AllocRate(relay, 4, () -> 1.0, () -> Double.NaN)
                .beforeRound(() -> gcs[0]++).run(2, 3, warmup);
        assertEquals(List.of("warm-up round 1", "warm-up round 2"), warmup.stream().map(AllocRate.Round::label).toList());
        assertEquals(List.of(1, 2, 3), rounds.stream().map(AllocRate.Round::round).toList());
        assertTrue(rounds.stream().noneMatch(AllocRate.Round::warmup));
        assertEquals(5, gcs[0], "before every round, the warm-ups too");
        assertTrue(relay.live.isEmpty());
        assertEquals(20, relay.users.size());
        assertEquals(List.of("bench-0@localhost", "bench-1@localhost", "bench-2@localhost", "bench-3@localhost"),
                relay.users.subList(16, 20));
        AllocRate.Round r = rounds.get(0);
        assertEquals(4, r.allocNanos().length);
        assertTrue(r.allocsPerSecond() > 0 && r.destroysPerSecond() > 0);
        assertEquals(0.0, r.relayCpuUsPerAlloc(), "the CPU supplier did not move");
        Map<String, Object> j = new java.util.LinkedHashMap<>();
        AllocRate.putJson(j, rounds, warmup);
        assertEquals(AllocRate.median(rounds, AllocRate.Round::allocsPerSecond), j.get("allocs_per_s"));
        assertEquals(3, ((List<?>) j.get("per_round")).size());
        assertEquals(2, ((List<?>) j.get("warmup")).size());
        assertEquals(true, ((Map<?, ?>) ((List<?>) j.get("warmup")).get(0)).get("warmup"));
        String table = AllocRate.table(rounds, warmup).toString();
        assertTrue(table.contains("warm-up 2") && table.contains("median") && table.contains("allocs/s"), table);
        assertEquals(0, new AllocRate(relay, 1, () -> 0, () -> 0).run(0, 1, null).get(0).round() - 1, "no warm-up");
    }

    @Test
    void aRefusalStopsTheRunNamesTheAllocationAndLeavesNoChannel() {
        FakeRelay relay = new FakeRelay(4 + 3);             // the third of round 1
        IOException e = assertThrows(IOException.class,
                () -> new AllocRate(relay, 4, () -> Double.NaN, () -> Double.NaN).run(1, 2, null));
        assertTrue(e.getMessage().startsWith("round 1: allocation 3 of 4 failed: POST /channels for bench-2@localhost"
                + " answered 503"), e.getMessage());
        assertTrue(relay.live.isEmpty(), "the round's channels are given back: " + relay.live);
        FakeRelay early = new FakeRelay(2);
        IOException w = assertThrows(IOException.class,
                () -> new AllocRate(early, 4, () -> Double.NaN, () -> Double.NaN).run(1, 2, null));
        assertTrue(w.getMessage().startsWith("warm-up round 1: allocation 2 of 4 failed"), w.getMessage());
    }

    @Test
    void latencyQuantilesAreNearestRank() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[99 - i] = (i + 1) * 1000L;                    // 1..100 us, unsorted
        }
        AllocRate.Round r = new AllocRate.Round(false, 1, 100, 1_000_000_000L, 500_000_000L, v, 0.5, 0.1, Double.NaN);
        assertEquals(50.0, r.latencyUs(0.5));
        assertEquals(99.0, r.latencyUs(0.99));
        assertEquals(100.0, r.latencyUs(1.0));
        assertEquals(100.0, r.allocsPerSecond(), 1e-9);
        assertEquals(200.0, r.destroysPerSecond(), 1e-9);
        assertEquals(5000.0, r.relayCpuUsPerAlloc(), 1e-9);
        assertTrue(Double.isNaN(AllocRate.quantile(new long[0], 0.5)));
        assertEquals(7.0, AllocRate.quantile(new long[] {7}, 0.99));
    }
}
