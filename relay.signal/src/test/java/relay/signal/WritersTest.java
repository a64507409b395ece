package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WritersTest {

    private static final String PREFIX = "writers-test-" + System.nanoTime();

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private Writers writers;

    @AfterEach
    void stop() {
        if (writers != null) {
            writers.stop(5000);
        }
        assertEquals(List.of(), warnings);
    }

    private static List<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PREFIX) && t.isAlive())
                .toList();
    }

    /** One connection as its writer sees it: what was written, on which threads, in which order. */
    private static final class Recorder implements Writers.Sink {
        final List<Object> written = new ArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;

        @Override
        public void write(Object item) {
            if (inside.incrementAndGet() != 1) {
                overlapped = true;
            }
            threads.add(Thread.currentThread().getName());
            synchronized (this) {
                written.add(item);
            }
            inside.decrementAndGet();
        }
    }

    @Test
    void eachConnectionIsWrittenInTheOrderItsFramesWereQueuedByOneWriterWhileTheProducerNeverWrites() throws Exception {
        writers = new Writers(4, PREFIX, warnings::add);
        int connections = 64;
        int frames = 2_000;
        List<Recorder> sinks = new ArrayList<>();
        List<Writers.Outbox> boxes = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Recorder r = new Recorder();
            sinks.add(r);
            boxes.add(writers.outbox(r));
        }
        // one producer, as the hub is: round robin over the connections, as a pool's fan-out is
        String producer = Thread.currentThread().getName();
        for (int i = 0; i < frames; i++) {
            for (Writers.Outbox b : boxes) {
                b.add(i);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Recorder r : sinks) {
            while (true) {
                int n;
                synchronized (r) {
                    n = r.written.size();
                }
                if (n == frames || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(5);
            }
        }
        Set<String> used = ConcurrentHashMap.newKeySet();
        for (int c = 0; c < connections; c++) {
            Recorder r = sinks.get(c);
            List<Object> got;
            synchronized (r) {
                got = new ArrayList<>(r.written);
            }
            assertEquals(frames, got.size(), "connection " + c);
            for (int i = 0; i < frames; i++) {
                assertEquals(i, got.get(i), "connection " + c + " frame " + i);
            }
            assertEquals(1, r.threads.size(), "one writer per connection: " + r.threads);
            assertTrue(!r.threads.contains(producer), "the producer never writes");
            assertTrue(!r.overlapped, "one write at a time per connection");
            used.addAll(r.threads);
            assertEquals(boxes.get(c).writer(), r.threads.iterator().next());
        }
        assertEquals(4, used.size(), "the connections are dealt over every writer: " + used);
    }

    @Test
    void manyProducersKeepTheirOwnOrderOnEachConnection() throws Exception {
        writers = new Writers(3, PREFIX, warnings::add);
        int connections = 16;
        int producers = 6;
        int frames = 3_000;
        List<Recorder> sinks = new ArrayList<>();
        List<Writers.Outbox> boxes = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Recorder r = new Recorder();
            sinks.add(r);
            boxes.add(writers.outbox(r));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < frames; i++) {
                    for (Writers.Outbox b : boxes) {
                        b.add(id + ":" + i);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        writers.stop(20_000); // writes what was queued before it, then ends
        assertEquals(List.of(), alive());
        for (int c = 0; c < connections; c++) {
            Recorder r = sinks.get(c);
            assertEquals(producers * frames, r.written.size(), "connection " + c);
            assertTrue(!r.overlapped);
            int[] next = new int[producers];
            for (Object o : r.written) {
                String[] f = ((String) o).split(":");
                int p = Integer.parseInt(f[0]);
                assertEquals(next[p]++, Integer.parseInt(f[1]), "connection " + c + ", producer " + p);
            }
        }
    }

    @Test
    void aStoppedSetWritesWhatWasQueuedAndLeavesNoThread() throws Exception {
        writers = new Writers(4, PREFIX, warnings::add);
        assertEquals(4, alive().size());
        CountDownLatch held = new CountDownLatch(1);
        List<Object> written = new CopyOnWriteArrayList<>();
        Writers.Outbox slow = writers.outbox(item -> {
            if ("first".equals(item)) {
                try {
                    held.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            written.add(item);
        });
        slow.add("first");
        for (int i = 0; i < 200; i++) { // more than a batch: the rest is queued again behind the stop
            slow.add(i);
        }
        slow.add("close");
        Thread stopper = new Thread(() -> writers.stop(10_000));
        stopper.start();
        Thread.sleep(50);
        held.countDown();
        stopper.join(15_000);
        assertEquals(List.of(), alive());
        assertEquals(202, written.size());
        assertEquals("first", written.get(0));
        assertEquals("close", written.get(201));
    }

    @Test
    void aWriterThatDoesNotFinishInTimeIsInterruptedAndEnds() throws Exception {
        writers = new Writers(1, PREFIX, warnings::add);
        Writers.Outbox stuck = writers.outbox(item -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.add("x");
        stuck.add("y");
        long t0 = System.nanoTime();
        writers.stop(200);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
        assertEquals(List.of(), alive());
    }

    @Test
    void aSinkThatThrowsIsReportedAndTheNextItemsAreStillWritten() throws Exception {
        writers = new Writers(2, PREFIX, m -> { });
        List<Object> written = new CopyOnWriteArrayList<>();
        Writers.Outbox box = writers.outbox(item -> {
            if ("bad".equals(item)) {
                throw new IllegalStateException("boom");
            }
            written.add(item);
        });
        box.add("a");
        box.add("bad");
        box.add("b");
        writers.stop(5000);
        assertEquals(List.of("a", "b"), written);
    }
}
