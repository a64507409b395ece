package relay.http;

import java.io.InputStream;
import java.net.InetAddress;

/**
 * One request, as the API sees it, independent of the servlet container.
 *
 * @param method the HTTP method
 * @param path the decoded path ({@code /relay/channels}, {@code /relay/channels/ID}, ...), or null
 * @param user the {@code user} query parameter, or null
 * @param authorization the {@code Authorization} header, or null
 * @param remote the client's address
 * @param contentLength the declared body length, or -1 if unknown
 * @param body the body
 */
record ApiRequest(String method, String path, String user, String authorization, InetAddress remote,
        long contentLength, InputStream body) {
}
