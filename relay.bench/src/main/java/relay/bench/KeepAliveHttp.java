package relay.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 requests one after the other on one kept-alive connection, and nothing else: the
 * allocation rate is measured on exactly one connection, with no pool that might open another
 * and no client machinery between the bench and the relay. A connection that the relay ends
 * ({@code Connection: close}) is replaced before the next request and counted
 * ({@link #connections()}); one that breaks under a request is an error, not retried (a POST
 * may have allocated).
 */
final class KeepAliveHttp implements Closeable {

    /** The status and body of one answer. */
    record Response(int status, String body) {
    }

    private static final int TIMEOUT_MS = 10_000;
    private static final int MAX_BODY = 1 << 20;

    private final URI base;
    private final String token;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int connections;

    KeepAliveHttp(URI base, String token) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = token;
        int port = port(this.base);
        String host = this.base.getHost();
        this.hostHeader = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Connections opened so far: 1 when the relay kept the first one alive throughout. */
    int connections() {
        return connections;
    }

    /** POST {@code path} (below the base) with a JSON body. */
    Response post(String path, String json) throws IOException {
        return exchange("POST", path, json.getBytes(StandardCharsets.UTF_8));
    }

    /** DELETE {@code path} (below the base). */
    Response delete(String path) throws IOException {
        return exchange("DELETE", path, null);
    }

    private Response exchange(String method, String path, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(base.getRawPath()).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\nAccept: application/json\r\n");
        if (token != null && !token.isEmpty()) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(method);
        } catch (IOException e) {
            close();
            throw new IOException(method + " " + path + ": the connection to " + hostHeader + " broke: " + e.getMessage(), e);
        }
    }

    private Response read(String method) throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: '" + Json.abbreviate(status) + "'");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("no status in '" + Json.abbreviate(status) + "'");
        }
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    close = v.contains("close") || (close && !v.contains("keep-alive"));
                }
                default -> { }
            }
        }
        byte[] content;
        if (method.equals("HEAD") || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            content = new byte[0];
        } else if (chunked) {
            content = chunked();
        } else if (length >= 0) {
            if (length > MAX_BODY) {
                throw new IOException("an answer of " + length + " bytes");
            }
            content = in.readNBytes((int) length);
            if (content.length < length) {
                throw new EOFException("the answer ended after " + content.length + " of " + length + " bytes");
            }
        } else {
            content = in.readAllBytes();                  // delimited by the end of the connection
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(code, new String(content, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return b.toByteArray();
            }
            if (b.size() + n > MAX_BODY) {
                throw new IOException("an answer of more than " + MAX_BODY + " bytes");
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("the answer ended inside a chunk");
            }
            b.write(chunk);
            line();
        }
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(sb.length() == 0 ? "the relay closed the connection" : "the answer ended early");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 8192) {
                throw new IOException("a header line of more than 8 KB");
            }
            sb.append((char) c);
        }
    }

    private void connect() throws IOException {
        Socket s = "https".equals(base.getScheme()) ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress(base.getHost(), port(base)), TIMEOUT_MS);
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + hostHeader + ": " + e.getMessage(), e);
        }
        socket = s;
        connections++;
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // gone anyway
            }
        }
    }
}
