package relay.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import relay.api.cluster.ClusterNode;

/**
 * The REST API's calls to the other nodes of a cluster, over their REST URLs: one
 * {@link HttpClient} (made at the first call), HTTP/1.1, no redirects, at most
 * {@value #CONNECT_SECONDS} s to connect and {@value #REQUEST_SECONDS} s for an answer, so a
 * node that is gone never holds a Jetty thread for long. Every call carries
 * {@value #FORWARDED_BY} with this node's id, which the receiving node never forwards again,
 * and the caller's {@code Authorization} header: nodes of one cluster share the API token.
 * Thread safe.
 */
final class ClusterCalls {

    /** The header that marks a request forwarded by another node: its value is that node's id. */
    static final String FORWARDED_BY = "Relay-Forwarded-By";
    static final int CONNECT_SECONDS = 2;
    static final int REQUEST_SECONDS = 5;

    /** The owner's headers that are part of its answer; the rest belong to its connection. */
    private static final List<String> RELAYED_HEADERS = List.of("Location", "Retry-After", "WWW-Authenticate", "Allow");

    private HttpClient client;

    /** A node that did not answer, or not as a relay does: why, in a few words. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * What one node answered to a listing.
     *
     * @param node the node
     * @param body its JSON text, or null if it did not answer with 200 and JSON
     */
    record Listing(ClusterNode node, String body) {
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(CONNECT_SECONDS)).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /**
     * Sends one request to a node and returns its answer as the API's own.
     *
     * @param node where to send it; its REST URL is not null
     * @param method the HTTP method
     * @param path the path under the node's REST URL, percent-encoded ({@code /relay/channels/ID})
     * @param authorization the caller's {@code Authorization} header, or null
     * @param localId this node's id, for {@value #FORWARDED_BY}
     * @param contentType the body's type, or null without a body
     * @param body the body, or null for none
     * @return the node's status, JSON body and the headers of {@link #RELAYED_HEADERS}
     * @throws Unreachable if the node did not answer in time, or answered what the API never
     *         answers (a 500 or other server error but 503, a redirect, a body that is not JSON)
     */
    ApiResponse forward(ClusterNode node, String method, String path, String authorization, String localId,
            String contentType, byte[] body) throws Unreachable {
        HttpRequest.Builder request = request(node, path, authorization, localId);
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unreachable(reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for its answer");
        }
        return answer(response);
    }

    /**
     * Sends a request and forgets it: what it answers, and whether it does, is not waited for.
     * For a cleanup (an allocation whose answer could not be delivered).
     */
    void send(ClusterNode node, String method, String path, String authorization, String localId) {
        try {
            client().sendAsync(request(node, path, authorization, localId).method(method,
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (Unreachable | RuntimeException e) {
            // nothing to do: the channel idles out on its node
        }
    }

    /**
     * Asks several nodes at once for {@code GET path} and waits for them all, each for at most
     * {@value #REQUEST_SECONDS} s.
     *
     * @return one listing per node, in the order given; a node that did not answer 200 with JSON
     *         has a null body
     */
    List<Listing> list(List<ClusterNode> nodes, String path, String authorization, String localId) {
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>(nodes.size());
        for (ClusterNode node : nodes) {
            CompletableFuture<HttpResponse<byte[]>> call;
            try {
                call = client().sendAsync(request(node, path, authorization, localId).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (Unreachable | RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            pending.add(call);
        }
        List<Listing> listings = new ArrayList<>(nodes.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REQUEST_SECONDS + 1);
        boolean interrupted = false;
        for (int i = 0; i < nodes.size(); i++) {
            String body = null;
            if (!interrupted) {
                try {
                    HttpResponse<byte[]> r = pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (r.statusCode() == 200 && RestApi.isJson(r.headers().firstValue("Content-Type").orElse(null))) {
                        body = new String(r.body(), StandardCharsets.UTF_8);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    pending.get(i).cancel(true);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                pending.get(i).cancel(true);
            }
            listings.add(new Listing(nodes.get(i), body));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return listings;
    }

    private static HttpRequest.Builder request(ClusterNode node, String path, String authorization, String localId)
            throws Unreachable {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri(node.restUrl(), path));
        } catch (IllegalArgumentException e) {
            throw new Unreachable("its REST URL '" + node.restUrl() + "' is not an http or https URL");
        }
        request.timeout(Duration.ofSeconds(REQUEST_SECONDS)).header("Accept", "application/json")
                .header(FORWARDED_BY, localId);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    /** @return the node's REST URL with {@code path} (which starts with {@code /}) after it */
    static URI uri(URI restUrl, String path) {
        String base = restUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    private static ApiResponse answer(HttpResponse<byte[]> response) throws Unreachable {
        int status = response.statusCode();
        boolean apiStatus = (status >= 200 && status < 300) || (status >= 400 && status < 500) || status == 503;
        if (!apiStatus) {
            throw new Unreachable("it answered " + status);
        }
        byte[] bytes = response.body();
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        if (bytes.length > 0 && !RestApi.isJson(contentType)) {
            throw new Unreachable("it answered " + status + " without JSON");
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : RELAYED_HEADERS) {
            response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
        }
        String body = bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
        return new ApiResponse(status, body, ApiResponse.JSON, Map.copyOf(headers), () -> { });
    }

    private static String reason(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_SECONDS + " s";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + REQUEST_SECONDS + " s";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Percent-encodes one path segment: everything but RFC 3986's unreserved characters. */
    static String segment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
