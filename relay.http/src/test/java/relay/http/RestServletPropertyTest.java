package relay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.google.gson.JsonParser;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * The servlet adapter under random requests (methods, paths, raw query strings, headers, bodies,
 * client addresses): it never throws, never answers 500, and every answer it writes is a status
 * the API promises with a JSON body (or none, for 204). The relay is a {@link StubRelay}.
 */
class RestServletPropertyTest {

    /** What the servlet wrote. */
    private static final class Written {
        int status = -1;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    record Request(String method, String path, String query, Map<String, String> headers, byte[] body, String remote) {
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD", "get", "PATCH", "");
        Arbitrary<String> path = Arbitraries.oneOf(Arbitraries.of("/relay/channels", "/relay/stats", "/relay/channels/stub0",
                "/relay/channels/", "/", ""), Generators.anyText().map(t -> "/relay/channels/" + t), Generators.anyText());
        Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(null), Generators.anyText(),
                Generators.jids().map(j -> "user=" + j));
        Arbitrary<String> headerValue = Arbitraries.oneOf(Arbitraries.just(null), Generators.anyText(),
                Arbitraries.of("application/json", "localhost:8480", "127.0.0.1", "Bearer " + "t".repeat(20), "evil.example"));
        Arbitrary<Map<String, String>> headers = Combinators.combine(headerValue, headerValue, headerValue)
                .as((host, type, auth) -> {
                    Map<String, String> h = new HashMap<>();
                    h.put("Host", host);
                    h.put("Content-Type", type);
                    h.put("Authorization", auth);
                    return h;
                });
        Arbitrary<byte[]> body = Arbitraries.oneOf(Generators.allocationBodies().map(b -> b.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
        Arbitrary<String> remote = Arbitraries.of("127.0.0.1", "::1", "[::1]", "192.0.2.7", "2001:db8::1", "", "not an address", null);
        return Combinators.combine(method, path, query, headers, body, remote).as(Request::new);
    }

    @Property(tries = 1000)
    void anyRequestGetsAJsonAnswerAndNothingEscapes(@ForAll("requests") Request request,
            @ForAll("tokens") String token) throws Exception {
        try (CapturedLog log = new CapturedLog("relay.http")) {
            RestServlet servlet = new RestServlet(log.logger());
            servlet.bindRelay(new StubRelay());
            servlet.activate(ComponentConfig.of(HttpConfig.class, Map.of("token", token)));
            Written out = new Written();
            servlet.service(request(request), response(out));

            assertTrue(List.of(200, 201, 204, 400, 401, 403, 404, 405, 415, 429, 503).contains(out.status),
                    () -> out.status + " for " + request);
            String text = out.body.toString(StandardCharsets.UTF_8);
            if (out.status == 204) {
                assertEquals("", text);
            } else {
                assertEquals("application/json;charset=utf-8", out.headers.get("Content-Type"));
                JsonParser.parseString(text); // JSON, whatever the answer
            }
            assertEquals("no-store", out.headers.get("Cache-Control"));
            assertTrue(out.headers.keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")));
            assertEquals(List.of(), log.messages(Level.SEVERE), () -> "an unexpected failure for " + request);
        }
    }

    /**
     * In a cluster whose directory sends every unknown id, every listing and every allocation to
     * a node that is gone (a closed port on loopback), any request still gets one of the API's
     * answers, 502 among them, and nothing unexpected is logged.
     */
    @Property(tries = 300)
    void inAClusterWhoseOtherNodeIsGoneAnyRequestStillGetsAJsonAnswer(@ForAll("clusterRequests") Request request,
            @ForAll("tokens") String token) throws Exception {
        try (CapturedLog log = new CapturedLog("relay.http")) {
            RestServlet servlet = new RestServlet(log.logger());
            servlet.bindRelay(new StubRelay());
            servlet.bindCluster(new GoneNodeCluster());
            servlet.activate(ComponentConfig.of(HttpConfig.class, Map.of("token", token)));
            Written out = new Written();
            servlet.service(request(request), response(out));

            assertTrue(List.of(200, 201, 204, 400, 401, 403, 404, 405, 415, 429, 502, 503).contains(out.status),
                    () -> out.status + " for " + request);
            String text = out.body.toString(StandardCharsets.UTF_8);
            if (out.status == 204) {
                assertEquals("", text);
            } else {
                assertEquals("application/json;charset=utf-8", out.headers.get("Content-Type"));
                JsonParser.parseString(text);
            }
            if (out.status == 502) {
                assertEquals("gone", JsonParser.parseString(text).getAsJsonObject().get("node").getAsString());
            }
            assertEquals(List.of(), log.messages(Level.SEVERE), () -> "an unexpected failure for " + request);
        }
    }

    /** Requests that mostly pass the access checks (loopback, the right token) and reach the cluster's resources. */
    @Provide
    Arbitrary<Request> clusterRequests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "DELETE", "PUT");
        Arbitrary<String> path = Arbitraries.oneOf(Arbitraries.of("/relay/channels", "/relay/nodes", "/relay/channels/stub0"),
                Generators.anyText().map(t -> "/relay/channels/" + t));
        Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.of(null, "cluster=true", "cluster=false", "cluster="),
                Generators.jids().map(j -> "cluster=true&user=" + j), Generators.anyText());
        Arbitrary<Map<String, String>> headers = Arbitraries.of("application/json", "text/plain").map(type -> {
            Map<String, String> h = new HashMap<>();
            h.put("Host", "localhost:8480");
            h.put("Content-Type", type);
            h.put("Authorization", "Bearer " + "t".repeat(20));
            return h;
        });
        Arbitrary<byte[]> body = Generators.allocationBodies().map(b -> b.getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(method, path, query, headers, body, Arbitraries.of("127.0.0.1", "::1"))
                .as(Request::new);
    }

    /** A cluster of this node and one that is gone: it holds every channel and is where placement sends all. */
    private static final class GoneNodeCluster implements relay.api.cluster.Cluster {
        private static final java.net.URI GONE = closedPort();
        private final relay.api.cluster.ClusterNode self = node("here", null, true);
        private final relay.api.cluster.ClusterNode gone = node("gone", GONE, false);

        private static relay.api.cluster.ClusterNode node(String id, java.net.URI url, boolean local) {
            return relay.api.cluster.ClusterNode.builder().id(id).publicAddress("127.0.0.1").restUrl(url).freePorts(100)
                    .capacity(50).heartbeat(java.time.Instant.now()).local(local).build();
        }

        private static java.net.URI closedPort() {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String localId() {
            return "here";
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public List<relay.api.cluster.ClusterNode> nodes() {
            return List.of(gone, self);
        }

        @Override
        public java.util.Optional<relay.api.cluster.ClusterNode> ownerOf(String channelId) {
            return java.util.Optional.of(gone);
        }

        @Override
        public relay.api.cluster.ClusterNode placement() {
            return gone;
        }
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.of("", "t".repeat(20));
    }

    private static HttpServletRequest request(Request r) {
        ServletInputStream in = new ServletInputStream() {
            private final ByteArrayInputStream bytes = new ByteArrayInputStream(r.body());

            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(RestServletPropertyTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> switch (method.getName()) {
                    case "getMethod" -> r.method();
                    case "getServletPath" -> r.path();
                    case "getPathInfo" -> null;
                    case "getQueryString" -> r.query();
                    case "getHeader" -> r.headers().get((String) args[0]);
                    case "getHeaders" -> java.util.Collections.enumeration(r.headers().get((String) args[0]) == null
                            ? java.util.List.<String>of() : java.util.List.of(r.headers().get((String) args[0])));
                    case "getRemoteAddr" -> r.remote();
                    case "getContentLengthLong" -> (long) r.body().length;
                    case "getInputStream" -> in;
                    case "getParameter", "getParameterMap", "getReader" ->
                        throw new AssertionError("the servlet must not let the container parse " + method.getName());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static HttpServletResponse response(Written w) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                w.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(RestServletPropertyTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> w.status = (int) args[0];
                        case "setHeader" -> w.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> w.headers.put("Content-Type", (String) args[0]);
                        case "setContentLength" -> w.headers.put("Content-Length", String.valueOf(args[0]));
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "isCommitted" -> {
                            return false;
                        }
                        case "flushBuffer", "reset" -> {
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
