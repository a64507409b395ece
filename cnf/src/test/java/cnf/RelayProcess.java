package cnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The exported relay.jar running as a separate process, in a work directory of its own under
 * target/it with a copy of the default etc/ (FileInstall watches it there), as an operator runs it.
 */
final class RelayProcess implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("relay.jar", "target/relay.jar")).toAbsolutePath();
    private static final Path DEFAULT_ETC = Path.of(System.getProperty("relay.etc", "etc")).toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("relay.work", "target/it")).toAbsolutePath();

    final Path dir;
    final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Writer shell;

    private RelayProcess(Path dir, int httpPort) {
        this.dir = dir;
        this.httpPort = httpPort;
    }

    /**
     * Prepares a work directory with the default etc/, then the given edits ("pid key value" triples).
     */
    static RelayProcess prepare(String name, int httpPort, String... pidKeyValues) throws IOException {
        Path dir = WORK.resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir.resolve("etc"));
        try (Stream<Path> files = Files.list(DEFAULT_ETC)) {
            for (Path cfg : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                Files.copy(cfg, dir.resolve("etc").resolve(cfg.getFileName()));
            }
        }
        RelayProcess relay = new RelayProcess(dir, httpPort);
        relay.edit("relay.http", "port", Integer.toString(httpPort));
        for (int i = 0; i < pidKeyValues.length; i += 3) {
            relay.edit(pidKeyValues[i], pidKeyValues[i + 1], pidKeyValues[i + 2]);
        }
        return relay;
    }

    /**
     * Starts {@code java -jar relay.jar} in the work directory and waits until the REST API answers.
     *
     * @param withShell true: Gogo reads commands from {@link #shell(String)}; false: daemon mode
     */
    RelayProcess start(boolean withShell) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!withShell) {
            cmd.add("-Dgosh.args=--nointeractive");
        }
        cmd.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile());
        if (!withShell) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        process = pb.start();
        if (withShell) {
            shell = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }
        boolean up = eventually(Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                return true;
            }
            try {
                return get("/relay/stats").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        if (!up || !process.isAlive()) {
            String log = console();
            close();
            fail("relay.jar did not come up; its console said:\n" + log);
        }
        return this;
    }

    /** Whether side {@code side} ("A" or "B") of channel {@code id} has latched onto a peer; false when the API does not answer. */
    boolean latched(String id, String side) {
        try {
            JsonElement peer = JsonParser.parseString(get("/relay/channels/" + id).body())
                    .getAsJsonObject().get("peer" + side);
            return peer != null && !peer.isJsonNull();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Types one command into the Gogo shell. */
    void shell(String command) throws IOException {
        shell.write(command + "\n");
        shell.flush();
    }

    /** Sets {@code key=value} in etc/{@code pid}.cfg, replacing the file in one move as an editor would. */
    void edit(String pid, String key, String value) throws IOException {
        Path cfg = dir.resolve("etc").resolve(pid + ".cfg");
        List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg)) : new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith(key + "=") || line.startsWith(key + " =") || line.startsWith("#" + key + "=")) {
                lines.set(i, key + "=" + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + "=" + value);
        }
        Path tmp = dir.resolve(pid + ".cfg.new");
        Files.write(tmp, lines);
        Files.move(tmp, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String path) throws IOException {
        return send(request(path).DELETE().build());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // Jetty closes a kept-alive connection after some 400s; when the client reuses it in
                // that instant the server never read the request: no answer at all, so ask once more
                if (!String.valueOf(e.getMessage()).contains("received no bytes")) throw e;
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** POST /relay/channels for {@code user}, which must answer 201; returns the channel. */
    JsonObject allocate(String user) throws IOException {
        HttpResponse<String> r = post("/relay/channels", "{\"user\": \"" + user + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Sends SIGTERM and waits (30 s at most) for the process to end; returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy(); // SIGTERM
        return awaitExit();
    }

    /** Kills the process as {@code kill -9} does: no shutdown hook, no word to anyone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits (30 s at most) for the process to end by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("relay.jar did not stop within 30 s");
        }
        return process.exitValue();
    }

    String console() {
        return read(dir.resolve("console.log"));
    }

    String logFile() {
        return read(dir.resolve("log").resolve("relay.log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Never leaves the process behind. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code limit} passes. */
    static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
