package relay.http;

import java.io.InputStream;
import java.net.InetAddress;

/**
 * One request, as the API sees it, independent of the servlet container. Nothing here has been
 * checked: the API refuses what it cannot take.
 *
 * @param method the HTTP method
 * @param path the decoded path ({@code /relay/channels}, {@code /relay/channels/ID}, ...), or null
 * @param query the query string as sent, still percent-encoded, or null for none
 * @param host the {@code Host} header, or null
 * @param contentType the {@code Content-Type} header, or null
 * @param authorization the {@code Authorization} header, or null
 * @param accept the {@code Accept} header, or null
 * @param remote the client's address, or null if unknown
 * @param contentLength the declared body length, or -1 if unknown
 * @param body the body
 * @param forwardedBy the {@code Relay-Forwarded-By} header: the id of the cluster node that
 *        forwarded this request here, or null for a request from a client (only those are
 *        ever forwarded)
 */
record ApiRequest(String method, String path, String query, String host, String contentType, String authorization,
        String accept, InetAddress remote, long contentLength, InputStream body, String forwardedBy) {

    /** A request from a client, not forwarded by another node. */
    ApiRequest(String method, String path, String query, String host, String contentType, String authorization,
            String accept, InetAddress remote, long contentLength, InputStream body) {
        this(method, path, query, host, contentType, authorization, accept, remote, contentLength, body, null);
    }
}
