package relay.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests use: {@code REDIS_URL} when set, else the machine's at 127.0.0.1:6379.
 * Each test writes under its own key prefix and removes it afterwards. A test that must stop
 * Redis starts a private {@code redis-server} on a free port instead ({@link Private}).
 */
public final class TestRedis {

    /** The shared test Redis. */
    public static final URI URI_ = java.net.URI.create(
            System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379/0"));

    private TestRedis() {
    }

    /** Fails, in one line that says what to do, when the test Redis does not answer. */
    public static void requireReachable() {
        try (JedisPooled redis = new JedisPooled(URI_, 2000)) {
            redis.ping();
        } catch (RuntimeException e) {
            throw new AssertionError("The cluster tests need Redis at " + URI_ + " (" + e.getMessage() + "): start one with"
                    + " `redis-server --save '' --daemonize yes` or set REDIS_URL=redis://host:port/db");
        }
    }

    /** @return a key prefix no other test uses */
    public static String newPrefix() {
        return "relay-test:" + UUID.randomUUID() + ":";
    }

    /** Deletes every key under {@code prefix}. */
    public static void clean(URI uri, String prefix) {
        try (JedisPooled redis = new JedisPooled(uri, 2000)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                for (String key : page.getResult()) {
                    redis.del(key);
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (RuntimeException e) {
            // a private Redis already stopped: nothing left to clean
        }
    }

    /** A {@code redis-server} of the test's own, on a free port, that the test may stop and start again. */
    public static final class Private implements AutoCloseable {
        private final int port;
        private final Path dir;
        private Process process;

        public Private() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.createDirectories(Path.of("target"));
            dir = Files.createTempDirectory(Path.of("target"), "redis");
            start();
        }

        public URI uri() {
            return URI.create("redis://127.0.0.1:" + port + "/0");
        }

        public int port() {
            return port;
        }

        /** Starts the server (again, on the same port, empty). */
        public void start() throws IOException {
            try {
                process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("This test starts its own redis-server, which is not installed (apt-get install redis-server): " + e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (JedisPooled redis = new JedisPooled(uri(), 500)) {
                    redis.ping();
                    return;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the private redis-server on port " + port + " did not start: " + e);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /** Kills the server, as a crash would, and waits until it is gone. */
        public void stop() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
