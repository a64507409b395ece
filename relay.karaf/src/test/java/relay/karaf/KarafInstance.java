package relay.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Apache Karaf, copied fresh from the unpacked distribution for each run (so no
 * configuration or bundle cache survives from an earlier run), configured to stay off the
 * default ports and to resolve every {@code mvn:} URL from its own {@code system/} folder and
 * from the repository this build filled, never from the network; run as a separate process.
 */
final class KarafInstance implements AutoCloseable {

    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private final Path home;
    private final Ports ports;
    private Process process;
    private final Thread killer = new Thread(this::kill, "karaf-killer");

    /** The ports this instance listens on; the relay's own UDP ports are configured apart. */
    record Ports(int ssh, int rmiRegistry, int rmiServer, int http) {
    }

    private KarafInstance(Path home, Ports ports) {
        this.home = home;
        this.ports = ports;
    }

    /** Copies {@code dist} into {@code home} (deleting what was there) and configures it. */
    static KarafInstance fresh(Path dist, Path home, Path mavenRepo, Ports ports) throws IOException {
        if (!Files.isExecutable(dist.resolve("bin/karaf"))) {
            throw new IllegalStateException("No Karaf distribution at " + dist + " (run the build through pre-integration-test)");
        }
        deleteTree(home);
        copyTree(dist, home);
        KarafInstance karaf = new KarafInstance(home, ports);
        karaf.configure(mavenRepo);
        return karaf;
    }

    Path home() {
        return home;
    }

    Ports ports() {
        return ports;
    }

    /** Writes a configuration file under {@code etc/}, as an operator would before the start. */
    void writeEtc(String fileName, String content) throws IOException {
        Files.writeString(home.resolve("etc").resolve(fileName), content);
    }

    private void configure(Path mavenRepo) throws IOException {
        setProperty("org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ports.ssh()));
        setProperty("org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        setProperty("org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports.rmiRegistry()));
        setProperty("org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports.rmiServer()));
        // an HTTP server that starts before its configuration arrives (Felix Jetty's default
        // listener does) takes the framework's port: ours, not 8080
        Files.writeString(home.resolve("etc/system.properties"),
                "\norg.osgi.service.http.port = " + ports.http() + "\n", StandardOpenOption.APPEND);
        // Karaf ships with no user: the test logs in over SSH as an administrator
        Files.writeString(home.resolve("etc/users.properties"),
                "\n" + USER + " = " + PASSWORD + ",_g_:admingroup\n"
                        + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                StandardOpenOption.APPEND);
        // No remote repository: what this build did not fetch cannot be found at test time
        Path settings = home.resolve("etc/maven-settings.xml");
        Files.writeString(settings, "<settings/>\n");
        writeEtc("org.ops4j.pax.url.mvn.cfg", String.join("\n",
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false",
                "org.ops4j.pax.url.mvn.settings = " + settings.toUri(),
                "org.ops4j.pax.url.mvn.localRepository = " + home.resolve("data/m2").toUri(),
                "org.ops4j.pax.url.mvn.defaultRepositories = "
                        + home.resolve("system").toUri() + "@id=system.repository@snapshots, "
                        + mavenRepo.toUri() + "@id=relay.build@snapshots",
                "org.ops4j.pax.url.mvn.repositories = ",
                ""));
    }

    /** Replaces the single line {@code key = ...} of an {@code etc/} file. */
    private void setProperty(String fileName, String key, String value) throws IOException {
        Path file = home.resolve("etc").resolve(fileName);
        String content = Files.readString(file);
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$").matcher(content);
        if (!m.find()) {
            throw new IllegalStateException("No " + key + " in " + file);
        }
        Files.writeString(file, m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    /** Starts Karaf as a daemon process; its console output goes to {@code console.log}. */
    void start() throws IOException {
        // another process on one of these ports would answer in this Karaf's place
        for (int port : new int[] {ports.ssh(), ports.rmiRegistry(), ports.rmiServer(), ports.http()}) {
            if (listening(port)) {
                throw new IllegalStateException("Port " + port + " on 127.0.0.1 was taken after it was picked");
            }
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_MAX_MEM", "512M");
        // a leftover KARAF_* variable of the caller would point the scripts elsewhere
        pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_"));
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(killer);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens an SSH shell once Karaf accepts logins and has reached its final start level. */
    KarafShell awaitShell(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        KarafShell shell = new KarafShell(ports.ssh(), USER, PASSWORD);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                shell.close();
                throw new IllegalStateException("Karaf exited with " + process.exitValue() + ":\n" + consoleLog());
            }
            try {
                if (shell.execute("system:start-level", Duration.ofSeconds(30)).out().contains("100")) {
                    return shell;
                }
            } catch (Exception e) {
                last = e; // not listening yet, or no login yet
            }
            Thread.sleep(500);
        }
        shell.close();
        throw new IllegalStateException("Karaf did not come up within " + timeout + "\n" + consoleLog(), last);
    }

    /** The tail of Karaf's own log, for failure messages. */
    String karafLog() {
        return tail(home.resolve("data/log/karaf.log"), 80);
    }

    private String consoleLog() {
        return tail(home.resolve("console.log"), 40);
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    /**
     * Stops Karaf through its shell if one is given, and waits for the process to end; kills
     * it (and anything it started) if it does not end in time.
     */
    void stop(KarafShell shell, Duration timeout) throws InterruptedException {
        if (process == null) {
            return;
        }
        if (shell != null) {
            try {
                shell.execute("system:shutdown -f", Duration.ofSeconds(10));
            } catch (Exception e) {
                // the session may close before the answer arrives: the wait below decides
            }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("Karaf did not stop within " + timeout + " and was killed");
        }
    }

    boolean started() {
        return process != null;
    }

    int exitValue() {
        return process.exitValue();
    }

    private void kill() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never started
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                Path target = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
