package relay.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One request to {@link RestApi} as a client on this host sends it by default (from 127.0.0.1,
 * {@code Host: 127.0.0.1:8480}); each setter changes one thing.
 */
final class Call {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String JSON = "application/json";

    private final String method;
    private final String path;
    private String query;
    private String host = "127.0.0.1:8480";
    private String contentType;
    private String authorization;
    private String accept;
    private InetAddress remote = LOOPBACK;
    private byte[] body = new byte[0];
    private Long contentLength;
    private InputStream stream;
    private String forwardedBy;

    private Call(String method, String path) {
        this.method = method;
        this.path = path;
    }

    static Call of(String method, String path) {
        return new Call(method, path);
    }

    static Call get(String path) {
        return new Call("GET", path);
    }

    /** A POST of JSON text, with {@code Content-Type: application/json}. */
    static Call post(String path, String json) {
        return new Call("POST", path).contentType(JSON).body(json);
    }

    /** A POST of {@code json} to /relay/channels. */
    static Call allocate(String json) {
        return post("/relay/channels", json);
    }

    /** @return an address of another host (TEST-NET-1) */
    static InetAddress elsewhere(String literal) {
        return new InetSocketAddress(literal, 0).getAddress();
    }

    Call query(String query) {
        this.query = query;
        return this;
    }

    Call host(String host) {
        this.host = host;
        return this;
    }

    Call contentType(String contentType) {
        this.contentType = contentType;
        return this;
    }

    Call authorization(String authorization) {
        this.authorization = authorization;
        return this;
    }

    Call accept(String accept) {
        this.accept = accept;
        return this;
    }

    Call bearer(String token) {
        return authorization("Bearer " + token);
    }

    Call from(InetAddress remote) {
        this.remote = remote;
        return this;
    }

    Call body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    Call body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    /** Declares a length other than the body's own (-1: unknown, as with chunked encoding). */
    Call contentLength(long declared) {
        this.contentLength = declared;
        return this;
    }

    /** A body that is a stream of its own, in place of bytes. */
    Call stream(InputStream in) {
        this.stream = in;
        return this;
    }

    /** As forwarded by another node of a cluster: {@code Relay-Forwarded-By: node}. */
    Call forwardedBy(String node) {
        this.forwardedBy = node;
        return this;
    }

    ApiRequest request() {
        long declared = contentLength != null ? contentLength : body.length;
        return new ApiRequest(method, path, query, host, contentType, authorization, accept, remote, declared,
                stream != null ? stream : new ByteArrayInputStream(body), forwardedBy);
    }

    ApiResponse on(RestApi api) {
        return api.handle(request());
    }
}
