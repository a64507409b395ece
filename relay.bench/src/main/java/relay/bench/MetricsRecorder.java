package relay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --metrics-png}: scrapes the relay's {@code GET /metrics} once a second on a thread of its
 * own, as Prometheus would, and keeps the answers with the bench's phases for
 * {@link DashboardPanels} and {@link DashboardPng}.
 */
final class MetricsRecorder implements AutoCloseable {

    static final long INTERVAL_MS = 1000;

    private final RelayClient client;
    private final PrintStream err;
    private final long t0 = System.nanoTime();
    private final List<MetricsScrape> scrapes = new ArrayList<>();
    private final List<DashboardPng.Marker> markers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int failures;

    MetricsRecorder(RelayClient client, PrintStream err) {
        this.client = client;
        this.err = err;
        this.thread = new Thread(this::loop, "relay.bench-metrics");
        thread.setDaemon(true);
        thread.start();
    }

    private double now() {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Marks the start of a phase of the run on the charts. */
    synchronized void mark(String label) {
        markers.add(new DashboardPng.Marker(now(), label));
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            scrapeOnce();
            next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();                // a slow scrape: no burst of catch-up scrapes
            }
        }
    }

    private void scrapeOnce() {
        double t = now();
        try {
            MetricsScrape s = MetricsScrape.parse(t, client.metrics());
            synchronized (this) {
                scrapes.add(s);
            }
        } catch (IOException | IllegalArgumentException e) {
            if (failures++ == 0) {
                err.println("relay.bench: a scrape of /metrics failed: " + e.getMessage());
            }
        }
    }

    /** Stops scraping after one last scrape, so that the end of the window is in. */
    void stop() {
        if (!running) {
            return;
        }
        running = false;                                  // not interrupted: a scrape under way ends
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scrapeOnce();
    }

    synchronized List<MetricsScrape> scrapes() {
        return List.copyOf(scrapes);
    }

    synchronized List<DashboardPng.Marker> markers() {
        return List.copyOf(markers);
    }

    int failures() {
        return failures;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
