package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.service.log.LogLevel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import relay.api.RelayService;
import relay.testing.Poll;
import relay.testing.TestKeystore;

/**
 * The REST API's defences over real HTTP on its own Felix HTTP Jetty listener: errors Jetty would
 * answer with a page of its own, browsers (content type, Host, CORS), token guessing, and HTTPS
 * with a keystore made by keytool. The listener is on 127.0.0.1:27950 (HTTPS: 27951).
 */
public class RestHardeningIT extends ContainerTest {

    private static final int HTTP_PORT = 27950;
    private static final int HTTPS_PORT = 27951;
    private static final String TOKEN = "itest-token-0123456789";
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    private RelayService relay;
    private Configs configs;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {http()};
    }

    @Before
    public void startRelayAndApi() {
        relay = TestRelay.start(context);
        configs = new Configs(context);
        RelayBundles bundles = new RelayBundles(context);
        configs.put("relay.http", plain());
        if (!bundles.active(RelayBundles.HTTP)) {
            bundles.start(RelayBundles.HTTP);
        }
        awaitStats();
    }

    @After
    public void cleanUp() {
        TestRelay.destroyAll(relay);
    }

    private static Map<String, Object> plain() {
        return Map.of("address", "127.0.0.1", "port", HTTP_PORT);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static RawHttp.Response get(String target, String... headers) {
        return RawHttp.exchange(LOCAL, HTTP_PORT, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP_PORT + "\r\n"
                + String.join("", headers), null);
    }

    /** Waits until GET /relay/stats answers 200 on the plain listener without a token. */
    private static void awaitStats() {
        Poll.until("the REST API to answer on port " + HTTP_PORT, () -> {
            try {
                return get("/relay/stats").status() == 200;
            } catch (java.io.UncheckedIOException e) {
                return false;
            }
        });
    }

    private static void assertJsonError(RawHttp.Response r, int status, String error) {
        assertEquals(r.body(), status, r.status());
        assertTrue(r.headers().toString(), r.header("Content-Type").startsWith("application/json"));
        JsonObject body = r.json();
        assertEquals(r.body(), error, body.get("error").getAsString());
        for (String key : new String[] {"reason", "policy", "message"}) {
            assertTrue(key + " missing: " + r.body(), body.has(key));
        }
    }

    // --- item 11: every error is JSON

    @Test
    public void malformedQueriesAndBodiesAreJson400NotJettysPage() {
        assertJsonError(get("/relay/channels?user=%zz"), 400, "invalid_query");
        assertJsonError(get("/relay/channels?user=%C3%28"), 400, "invalid_query");
        assertJsonError(get("/relay/stats?x=%"), 400, "invalid_query");
        String head = "POST /relay/channels HTTP/1.1\r\nHost: localhost:" + HTTP_PORT + "\r\nContent-Type: application/json\r\n";
        assertJsonError(RawHttp.exchange(LOCAL, HTTP_PORT, head, "{\"user\": \"a@example.com\", \"user\": \"b@example.com\"}"),
                400, "invalid_json");
        assertJsonError(RawHttp.exchange(LOCAL, HTTP_PORT, head, ""), 400, "invalid_json");
        byte[] latin1 = "{\"user\": \"j\u00f6rg@example.com\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertJsonError(RawHttp.exchangeBytes(LOCAL, HTTP_PORT, head, latin1), 400, "invalid_json");
        assertJsonError(RawHttp.exchange(LOCAL, HTTP_PORT, head, "{\"user\": \"a@example.com\", \"pad\": \"" + "x".repeat(9000) + "\"}"),
                400, "body_too_large");
        assertJsonError(RawHttp.exchange(LOCAL, HTTP_PORT, head, "{\"user\": \"a@example.com\", \"peerA\": \"1.2.3\"}"),
                400, "invalid_peer");
        assertTrue(relay.channels().isEmpty());
    }

    // --- item 8: browsers and DNS rebinding

    @Test
    public void aPostABrowserCouldSendCrossSiteIs415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            RawHttp.Response r = RawHttp.exchange(LOCAL, HTTP_PORT, "POST /relay/channels HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP_PORT
                    + "\r\nContent-Type: " + type + "\r\nOrigin: http://evil.example\r\n", "{\"user\": \"alice@example.com\"}");
            assertJsonError(r, 415, "unsupported_media_type");
        }
        assertTrue(relay.channels().isEmpty());
        RawHttp.Response ok = RawHttp.exchange(LOCAL, HTTP_PORT, "POST /relay/channels HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP_PORT
                + "\r\nContent-Type: application/json; charset=UTF-8\r\n", "{\"user\": \"alice@example.com\"}");
        assertEquals(ok.body(), 201, ok.status());
    }

    @Test
    public void aRebindingHostIs403AndLoopbackNamesAreServed() {
        for (String host : new String[] {"evil.example:" + HTTP_PORT, "evil.example", "192.0.2.7", "localhost.evil.example"}) {
            RawHttp.Response r = RawHttp.exchange(LOCAL, HTTP_PORT, "GET /relay/stats HTTP/1.1\r\nHost: " + host + "\r\n", null);
            assertJsonError(r, 403, "forbidden_host");
        }
        RawHttp.Response post = RawHttp.exchange(LOCAL, HTTP_PORT, "POST /relay/channels HTTP/1.1\r\nHost: rebind.evil.example:"
                + HTTP_PORT + "\r\nContent-Type: application/json\r\n", "{\"user\": \"alice@example.com\"}");
        assertJsonError(post, 403, "forbidden_host");
        assertTrue(relay.channels().isEmpty());
        for (String host : new String[] {"localhost:" + HTTP_PORT, "127.0.0.1", "[::1]:" + HTTP_PORT}) {
            RawHttp.Response r = RawHttp.exchange(LOCAL, HTTP_PORT, "GET /relay/stats HTTP/1.1\r\nHost: " + host + "\r\n", null);
            assertEquals(host + " " + r.body(), 200, r.status());
        }
    }

    @Test
    public void noCorsHeadersEverAndNoPreflightIsAllowed() {
        RawHttp.Response simple = get("/relay/stats", "Origin: http://evil.example\r\n");
        assertEquals(200, simple.status());
        assertNoCors(simple);
        RawHttp.Response preflight = RawHttp.exchange(LOCAL, HTTP_PORT, "OPTIONS /relay/channels HTTP/1.1\r\nHost: 127.0.0.1:"
                + HTTP_PORT + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type\r\n", null);
        assertJsonError(preflight, 405, "method_not_allowed");
        assertNoCors(preflight);
        RawHttp.Response denied = get("/relay/channels?user=%zz", "Origin: http://evil.example\r\n");
        assertNoCors(denied);
    }

    private static void assertNoCors(RawHttp.Response r) {
        for (String name : r.headers().keySet()) {
            assertFalse(name + " in " + r.headers(), name.startsWith("access-control-"));
        }
    }

    // --- item 10: brute force

    @Test
    public void tenWrongTokensLockAnAddressOutAndShortTokensAreRefused() {
        InetAddress guesser = address("127.0.0.2");
        try (LogEntries log = new LogEntries(context)) {
            Map<String, Object> withToken = new HashMap<>(plain());
            withToken.put("token", TOKEN);
            configs.put("relay.http", withToken);
            Poll.until("the API to want the token", () -> get("/relay/stats").status() == 401);

            for (int i = 0; i < 10; i++) {
                RawHttp.Response r = RawHttp.exchange(guesser, HTTP_PORT, "GET /relay/stats HTTP/1.1\r\nHost: relay.example.com\r\n"
                        + "Authorization: Bearer guess-" + i + "\r\n", null);
                assertJsonError(r, 401, "unauthorized");
            }
            RawHttp.Response locked = RawHttp.exchange(guesser, HTTP_PORT, "GET /relay/stats HTTP/1.1\r\nHost: relay.example.com\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n", null);
            assertJsonError(locked, 429, "too_many_requests");
            long retryAfter = Long.parseLong(locked.header("Retry-After"));
            assertTrue("Retry-After " + retryAfter, retryAfter >= 55 && retryAfter <= 60);
            log.await(RelayBundles.HTTP, LogLevel.WARN, "127.0.0.2", "wrong tokens");

            // 127.0.0.1 is another client: served, and it sees the failures counted
            RawHttp.Response stats = get("/relay/stats", "Authorization: Bearer " + TOKEN + "\r\n");
            assertEquals(stats.body(), 200, stats.status());
            assertEquals(10, stats.json().get("authFailures").getAsLong());

            Map<String, Object> shortToken = new HashMap<>(plain());
            shortToken.put("token", "too-short-token");
            configs.put("relay.http", shortToken);
            log.await(RelayBundles.HTTP, LogLevel.ERROR, "token is 15 characters", "previous configuration stays");
            assertEquals(200, get("/relay/stats", "Authorization: Bearer " + TOKEN + "\r\n").status());
            assertEquals(401, get("/relay/stats", "Authorization: Bearer too-short-token\r\n").status());
        } finally {
            configs.put("relay.http", plain());
            awaitStats();
        }
    }

    // --- item 9: TLS

    @Test
    public void withAKeystoreTheApiServesHttpsWithItsCertificate() throws Exception {
        Path dir = Files.createTempDirectory("relay-tls");
        TestKeystore keystore = TestKeystore.create(dir.resolve("relay.p12"), "itest-keystore-pw");
        try {
            Map<String, Object> tls = new HashMap<>(Map.of("address", "127.0.0.1", "port", HTTPS_PORT,
                    "tls.keystore", keystore.path().toString(), "tls.password", keystore.password()));
            configs.put("relay.http", tls);
            URL stats = new URL("https://127.0.0.1:" + HTTPS_PORT + "/relay/stats");
            JsonObject body = Poll.until("the API to answer over HTTPS", () -> {
                try {
                    return JsonParser.parseString(httpsGet(stats, keystore.trust())).getAsJsonObject();
                } catch (IOException e) {
                    return null; // the TLS listener is not up yet
                }
            });
            assertTrue(body.toString(), body.has("liveChannels"));

            String created = httpsPost(new URL("https://127.0.0.1:" + HTTPS_PORT + "/relay/channels"), keystore.trust(),
                    "{\"user\": \"alice@example.com\"}");
            assertEquals(1, relay.channels().size());
            assertTrue(created, created.contains("\"owner\":\"alice@example.com\""));

            try {
                httpsGet(stats, SSLContext.getDefault());
                fail("a client that does not trust the relay's certificate got an answer");
            } catch (SSLException expected) {
                // the certificate is the keystore's own, which the default trust store does not hold
            }
            assertFalse("the TLS port answers plain HTTP", plainHttpAnswers(HTTPS_PORT));
        } finally {
            configs.put("relay.http", plain());
            awaitStats();
        }
    }

    private static String httpsGet(URL url, SSLContext tls) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) url.openConnection();
        c.setSSLSocketFactory(tls.getSocketFactory());
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String httpsPost(URL url, SSLContext tls, String json) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) url.openConnection();
        c.setSSLSocketFactory(tls.getSocketFactory());
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(201, c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return whether a plain-text request to {@code port} gets a JSON answer of the API */
    private static boolean plainHttpAnswers(int port) {
        try {
            RawHttp.Response r = RawHttp.exchange(LOCAL, port, "GET /relay/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n", null);
            return r.status() == 200 && r.body().contains("liveChannels");
        } catch (RuntimeException e) {
            return false; // the TLS listener closed the connection or answered nothing HTTP
        }
    }

}
