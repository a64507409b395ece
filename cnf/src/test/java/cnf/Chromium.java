package cnf;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Debian's headless Chromium driven through its chromedriver, over the W3C WebDriver protocol
 * (plain HTTP and JSON), with fake camera and microphone and WebRTC allowed on loopback. Each
 * {@link Page} is a browser of its own (a profile, a process), as two users' machines are.
 */
final class Chromium implements AutoCloseable {

    /** How to get what this needs, said once when it is missing. */
    static final String INSTALL = "apt-get install -y chromium chromium-driver";

    private static final Gson GSON = new Gson();

    private final Process driver;
    private final int port;
    private final Path log;
    private final String binary;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Page> pages = new ArrayList<>();

    private Chromium(Process driver, int port, Path log, String binary) {
        this.driver = driver;
        this.port = port;
        this.log = log;
        this.binary = binary;
    }

    /** Starts chromedriver; fails with one line saying how to install Chromium when it is not there. */
    static Chromium start(Path work) throws Exception {
        String driverPath = find(System.getProperty("chromedriver"), "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        String binary = find(System.getProperty("chromium"), "/usr/lib/chromium/chromium", "/usr/bin/chromium");
        if (driverPath == null || binary == null) {
            fail("the browser tests need Chromium and its driver, and " + (binary == null ? "chromium" : "chromedriver")
                    + " is not installed: " + INSTALL + " (Debian; or give -Dchromium= and -Dchromedriver=)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(work);
        Path log = work.resolve("chromedriver.log");
        Process p = new ProcessBuilder(driverPath, "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Chromium c = new Chromium(p, port, log, binary);
        boolean ready = RelayProcess.eventually(Duration.ofSeconds(20), () -> {
            try {
                return c.http("GET", "/status", null).getAsJsonObject("value").get("ready").getAsBoolean();
            } catch (Exception e) {
                return false;
            }
        });
        if (!ready) {
            String said = Files.exists(log) ? Files.readString(log) : "";
            c.close();
            fail("chromedriver did not answer on port " + port + ": " + said);
        }
        return c;
    }

    private static String find(String given, String... candidates) {
        if (given != null && !given.isBlank()) {
            return Files.isExecutable(Path.of(given)) ? given : null;
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    private JsonObject http(String method, String path, JsonElement body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
        if (r.statusCode() != 200) {
            JsonObject v = o.getAsJsonObject("value");
            throw new IOException("WebDriver " + method + " " + path + ": " + r.statusCode() + " "
                    + (v != null && v.has("message") ? v.get("message").getAsString() : r.body()));
        }
        return o;
    }

    /** A new browser (a session of its own) with the fake devices; its window is {@code width} × {@code height}. */
    Page open(int width, int height) throws IOException {
        JsonArray args = new JsonArray();
        for (String a : List.of("--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--window-size=" + width + "," + height)) {
            args.add(a);
        }
        JsonObject chrome = new JsonObject();
        chrome.addProperty("binary", binary);
        chrome.add("args", args);
        JsonObject always = new JsonObject();
        always.addProperty("browserName", "chrome");
        always.add("goog:chromeOptions", chrome);
        JsonObject caps = new JsonObject();
        caps.add("alwaysMatch", always);
        JsonObject body = new JsonObject();
        body.add("capabilities", caps);
        String id = http("POST", "/session", body).getAsJsonObject("value").get("sessionId").getAsString();
        Page p = new Page(id);
        JsonObject t = new JsonObject();
        t.addProperty("script", 90_000);
        http("POST", "/session/" + id + "/timeouts", t);
        pages.add(p);
        return p;
    }

    /** What chromedriver logged (for a failure's message). */
    String driverLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Page p : pages) {
            try {
                http("DELETE", "/session/" + p.id, null);
            } catch (Exception e) {
                // the browser is gone already
            }
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One browser's page. */
    final class Page {
        final String id;

        Page(String id) {
            this.id = id;
        }

        void go(String url) throws IOException {
            JsonObject b = new JsonObject();
            b.addProperty("url", url);
            http("POST", "/session/" + id + "/url", b);
        }

        /**
         * Runs {@code expression} (JavaScript; {@code arguments[i]} are {@code args}) in the page and
         * waits for its value, awaited if it is a promise; a rejection or a throw fails here with the
         * page's stack.
         */
        JsonElement eval(String expression, Object... args) throws IOException {
            String script = "const done = arguments[arguments.length - 1];"
                    + " Promise.resolve().then(() => (" + expression + "))"
                    + ".then(v => done({ok: v === undefined ? null : v}),"
                    + " e => done({error: String(e && e.stack || e)}));";
            JsonObject b = new JsonObject();
            b.addProperty("script", script);
            b.add("args", GSON.toJsonTree(args));
            JsonElement v = http("POST", "/session/" + id + "/execute/async", b).get("value");
            JsonObject o = v.getAsJsonObject();
            if (o.has("error")) {
                throw new AssertionError("the page threw: " + o.get("error").getAsString());
            }
            return o.get("ok");
        }

        /** Runs a whole script (a file's text) in the page. */
        void run(String script) throws IOException {
            JsonObject b = new JsonObject();
            b.addProperty("script", script);
            b.add("args", new JsonArray());
            http("POST", "/session/" + id + "/execute/sync", b);
        }

        /** Installs the test harness (window.h) from the test resources. */
        void harness() throws IOException {
            // cnf has pom packaging, which processes no test resources: read the file from the module
            run(Files.readString(Path.of(System.getProperty("relay.browser.harness", "src/test/resources/browser/harness.js"))));
        }

        byte[] screenshot() throws IOException {
            return Base64.getDecoder().decode(http("GET", "/session/" + id + "/screenshot", null).get("value").getAsString());
        }
    }
}
