package relay.bench;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The relay as a child process: {@code relay.jar} copied into a fresh temporary folder with
 * bench settings in {@code etc/*.cfg} (loopback only, its own port range, io.threads, no quota or
 * whitelist in the way, a long idle timeout), started with {@code java -jar}, optionally pinned
 * with taskset, and ready once {@code GET /relay/stats} answers.
 */
final class RelayProcess implements Closeable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final Path work;
    private final URI url;
    private final boolean keep;
    private boolean failed;

    private RelayProcess(Process process, Path work, URI url, boolean keep) {
        this.process = process;
        this.work = work;
        this.url = url;
        this.keep = keep;
    }

    static RelayProcess start(BenchOptions o) throws IOException {
        return start(o, o.cluster == null ? null : clusterPrefix());
    }

    /** Starts the relay; with {@code --cluster} as cluster node {@value #CLUSTER_NODE} under {@code clusterPrefix}. */
    static RelayProcess start(BenchOptions o, String clusterPrefix) throws IOException {
        Path jar = o.relayJar.toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("relay jar " + jar + " not found: build the project first"
                    + " (or start the bench from the project's root, or pass --relay-jar / --url)");
        }
        Path work = Files.createTempDirectory("relay-bench-");
        Path etc = Files.createDirectories(work.resolve("etc"));
        Optional<Path> defaults = o.relayEtc != null ? Optional.of(o.relayEtc) : defaultEtc(jar);
        if (defaults.isPresent()) {
            copyConfigs(defaults.get(), etc);
        }
        writeConfig(etc, o, clusterPrefix);
        Files.copy(jar, work.resolve("relay.jar"), StandardCopyOption.REPLACE_EXISTING); // a rebuild can't disturb a run
        Path log = work.resolve("relay.log");
        ProcessBuilder pb = new ProcessBuilder(command(o)).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        RelayProcess relay = new RelayProcess(p, work, URI.create("http://127.0.0.1:" + o.httpPort + "/relay"), o.keep);
        try {
            relay.awaitReady(new RelayClient(relay.url, null));
        } catch (IOException | RuntimeException e) {
            relay.failed();
            relay.close();
            throw e;
        }
        return relay;
    }

    /** The command line: [taskset -c CPUS] [nice -n -10] java [JVM options] -Dgosh.args=--nointeractive -jar relay.jar */
    static List<String> command(BenchOptions o) {
        List<String> cmd = new ArrayList<>();
        if (o.relayCpus != null) {
            cmd.addAll(List.of("taskset", "-c", o.relayCpus));    // taskset execs java: the JVM sees its CPUs from the start
        }
        if (o.nice) {
            cmd.addAll(List.of("nice", "-n", Integer.toString(BenchOptions.NICE)));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.relayJvm);
        cmd.add("-Dgosh.args=--nointeractive");                   // stdin at EOF would otherwise stop the framework
        cmd.add("-jar");
        cmd.add("relay.jar");
        return cmd;
    }

    /**
     * Writes the bench's configuration over whatever defaults the folder holds. Every flow comes
     * from 127.0.0.1, which the scan guard would take for a scanner after 20 ports: it is off.
     */
    static void writeConfig(Path etc, BenchOptions o) throws IOException {
        writeConfig(etc, o, o.cluster == null ? null : clusterPrefix());
    }

    /** The node id of a relay the bench runs in a cluster. */
    static final String CLUSTER_NODE = "bench";

    /** A key prefix of the run's own, so that the bench's node meets no other node and leaves no key behind. */
    static String clusterPrefix() {
        return "relay-bench:" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ":";
    }

    /**
     * The bench's configuration; with {@code --cluster}, PID relay.cluster too (node
     * {@value #CLUSTER_NODE}, key prefix {@code clusterPrefix}); without it, no relay.cluster.cfg
     * from the defaults survives: the bench's relay is one node on its own unless asked.
     */
    static void writeConfig(Path etc, BenchOptions o, String clusterPrefix) throws IOException {
        Path cluster = etc.resolve("relay.cluster.cfg");
        if (o.cluster == null) {
            Files.deleteIfExists(cluster);
        } else {
            write(cluster, "redis.uri=%s\nkey.prefix=%s\nnode.id=%s\n".formatted(o.cluster, clusterPrefix,
                    CLUSTER_NODE));
        }
        write(etc.resolve("relay.core.cfg"), """
                bind.address=127.0.0.1
                public.address=127.0.0.1
                port.min=%d
                port.max=%d
                rtcp=%b
                idle.timeout=3600
                max.channels=20000
                io.threads=%d
                scan.guard.ports=0
                """.formatted(o.portMin, o.portMax, o.rtcp, o.ioThreads) + (o.ioEngine == null ? "" : "io.engine=" + o.ioEngine + "\n"));
        write(etc.resolve("relay.policy.whitelist.cfg"), "domains=localhost\n");
        write(etc.resolve("relay.policy.quota.cfg"), "max.channels.per.user=100000\nmax.requests.per.minute=0\n");
        write(etc.resolve("relay.http.cfg"), "address=127.0.0.1\nport=" + o.httpPort + "\n");
    }

    /** The project's default etc folder: where relay.core.cfg lives under the jar's module, outside target/. */
    static Optional<Path> defaultEtc(Path jar) {
        Path module = jar.toAbsolutePath().getParent() == null ? null : jar.toAbsolutePath().getParent().getParent();
        if (module == null || !Files.isDirectory(module)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.find(module, 4, (p, a) -> p.getFileName() != null && p.getFileName().toString().equals("relay.core.cfg")
                && !module.relativize(p).toString().contains("target"))) {
            return s.sorted().findFirst().map(Path::getParent);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void copyConfigs(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IllegalArgumentException("--relay-etc " + from + " is not a folder");
        }
        try (Stream<Path> s = Files.list(from)) {
            for (Path cfg : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".cfg"))::iterator) {
                Files.copy(cfg, to.resolve(cfg.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private void awaitReady(RelayClient client) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with code " + process.exitValue() + " while starting:\n"
                        + tail(20));
            }
            if (client.ready()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the relay's REST API did not answer at " + url + " within 60 s:\n" + tail(20));
    }

    long pid() {
        return process.pid();
    }

    URI url() {
        return url;
    }

    Path workDir() {
        return work;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Keep the work folder (with the relay's log) when the process is closed. */
    void failed() {
        failed = true;
    }

    /** True when a line of the relay's console (its log) contains {@code text}. */
    boolean logContains(String text) {
        try (Stream<String> lines = Files.lines(work.resolve("relay.log"), StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.contains(text));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The last lines of the relay's log. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(work.resolve("relay.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the relay (TERM, then KILL after 10 s) and removes its folder unless kept. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (keep || failed) {
            System.err.println("relay.bench: kept the relay's folder " + work);
        } else {
            deleteTree(work);
        }
    }

    /** Kills the relay at once (time limit or interrupt). */
    void kill() {
        process.destroyForcibly();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("relay.bench: could not remove " + root + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
