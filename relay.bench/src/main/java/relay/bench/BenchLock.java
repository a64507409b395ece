package relay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One benchmark at a time on the machine: the lock file the shell bench uses
 * ({@code /tmp/relay-bench.lock}, flock(2)). Java's own file locks are fcntl locks, which do
 * not exclude flock holders, so a child {@code flock} process holds the lock for as long as its
 * stdin stays open: closing it, or this JVM dying, releases the lock.
 */
final class BenchLock implements AutoCloseable {

    static final String PATH = "/tmp/relay-bench.lock";
    private static final long WAIT_SECONDS = 900;

    private final Process holder;

    private BenchLock(Process holder) {
        this.holder = holder;
    }

    /** Waits up to 15 minutes for the lock; returns null (and says so) if flock is missing. */
    static BenchLock acquire(String path) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("flock", "-w", Long.toString(WAIT_SECONDS), path,
                    "sh", "-c", "echo locked; exec cat >/dev/null").redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println("relay.bench: no flock(1) here, running without " + path);
            return null;
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String first = line.get(1, TimeUnit.SECONDS);
            if ("locked".equals(first)) {
                return new BenchLock(p);
            }
        } catch (TimeoutException e) {
            System.err.println("relay.bench: another benchmark is running; waiting for " + path);
            try {
                if ("locked".equals(line.get(WAIT_SECONDS + 5, TimeUnit.SECONDS))) {
                    return new BenchLock(p);
                }
            } catch (TimeoutException | ExecutionException e2) {
                // fall through: no lock
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            // fall through: no lock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        throw new IOException("could not take " + path + " (another benchmark holds it for more than "
                + WAIT_SECONDS / 60 + " minutes?)");
    }

    @Override
    public void close() {
        try {
            holder.getOutputStream().close();            // cat ends, flock releases
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        } catch (IOException e) {
            holder.destroyForcibly();
        } catch (InterruptedException e) {
            holder.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
