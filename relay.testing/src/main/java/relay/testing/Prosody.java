package relay.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prosody (Debian's package) for one test: its own configuration file, c2s and component
 * ports, data folder and log, started as a process and stopped after. Installs the package with
 * apt-get when it is missing and this user may; otherwise fails with one line saying how.
 */
public final class Prosody implements AutoCloseable {

    /** the server's own folder */
    public final Path dir;
    /** its client port */
    public final int c2sPort;
    /** its component port (XEP-0114) */
    public final int componentPort;
    private Process process;

    /**
     * @param dir an empty folder of the test's own
     * @param vhosts the virtual hosts
     * @param component the component's domain
     * @param secret its secret
     */
    public Prosody(Path dir, List<String> vhosts, String component, String secret) throws IOException, InterruptedException {
        ensureInstalled();
        this.dir = dir;
        this.c2sPort = freePort();
        this.componentPort = freePort();
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("certs"));
        StringBuilder c = new StringBuilder();
        c.append("daemonize = false\nrun_as_root = true\n")
                .append("pidfile = \"").append(dir.resolve("prosody.pid")).append("\"\n")
                .append("data_path = \"").append(dir.resolve("data")).append("\"\n")
                .append("certificates = \"").append(dir.resolve("certs")).append("\"\n")
                .append("log = { debug = \"").append(dir.resolve("prosody.log")).append("\" }\n")
                .append("modules_enabled = { \"roster\"; \"saslauth\"; \"disco\"; \"ping\"; \"presence\"; }\n")
                .append("modules_disabled = { \"s2s\"; \"tls\"; }\n")
                .append("interfaces = { \"127.0.0.1\" }\ncomponent_interfaces = { \"127.0.0.1\" }\n")
                .append("c2s_ports = { ").append(c2sPort).append(" }\n")
                .append("component_ports = { ").append(componentPort).append(" }\n")
                .append("s2s_ports = { }\nhttp_ports = { }\nhttps_ports = { }\n")
                .append("c2s_require_encryption = false\nallow_unencrypted_plain_auth = true\n")
                .append("authentication = \"internal_plain\"\nstorage = \"internal\"\n");
        for (String v : vhosts) {
            c.append("VirtualHost \"").append(v).append("\"\n");
        }
        c.append("Component \"").append(component).append("\"\n  component_secret = \"").append(secret).append("\"\n");
        Files.writeString(config(), c.toString(), StandardCharsets.UTF_8);
    }

    public Path config() {
        return dir.resolve("prosody.cfg.lua");
    }

    /** Creates an account with prosodyctl. */
    public void register(String user, String host, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prosodyctl", "--config", config().toString(), "register", user, host, password)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prosodyctl.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("prosodyctl register " + user + "@" + host + " failed: "
                    + Files.readString(dir.resolve("prosodyctl.log")));
        }
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("prosody", "--config", config().toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prosody.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(listening(c2sPort) && listening(componentPort))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("prosody did not start; its output: " + Files.readString(dir.resolve("prosody.out")));
            }
            Thread.sleep(100);
        }
    }

    /** Stops the server (SIGTERM) and waits for it. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Installs Debian's prosody when it is missing and this user is root; else one line says how. */
    public static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (onPath("prosody") && onPath("prosodyctl")) {
            return;
        }
        String how = "this test needs Prosody: run 'apt-get install -y prosody' as root";
        if (!"root".equals(System.getProperty("user.name")) || !onPath("apt-get")) {
            throw new IllegalStateException(how);
        }
        for (List<String> cmd : List.of(List.of("apt-get", "update"),
                List.of("apt-get", "install", "-y", "--no-install-recommends", "prosody"))) {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            b.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = b.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(how + " ('" + String.join(" ", cmd) + "' failed)");
            }
        }
        if (!onPath("prosody")) {
            throw new IllegalStateException(how);
        }
        // the package starts its own service on the default ports: the test's server needs none of it
        new ProcessBuilder("sh", "-c", "service prosody stop || true").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }
}
