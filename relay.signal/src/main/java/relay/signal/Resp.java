package relay.signal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis connection speaking RESP2, just what the node needs (PUBLISH, SUBSCRIBE, AUTH,
 * SELECT, PING): blocking, one thread at a time. {@code redis://[[user]:password@]host[:port][/db]}.
 */
final class Resp implements Closeable {

    /** An error reply of the server. */
    static final class ServerError extends IOException {
        private static final long serialVersionUID = 1L;

        ServerError(String message) {
            super(message);
        }
    }

    private static final int MAX_BULK = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Resp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects, authenticates and selects the database the URI names. */
    static Resp connect(URI uri, int timeoutMillis) throws IOException {
        if (uri.getScheme() == null || !uri.getScheme().equals("redis")) {
            throw new IOException("only redis:// is served (no TLS): " + uri.getScheme());
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), timeoutMillis);
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            Resp r = new Resp(s);
            String info = uri.getRawUserInfo();
            if (info != null && !info.isEmpty()) {
                int colon = info.indexOf(':');
                String user = colon < 0 ? null : URLDecoder.decode(info.substring(0, colon), StandardCharsets.UTF_8);
                String password = URLDecoder.decode(colon < 0 ? info : info.substring(colon + 1), StandardCharsets.UTF_8);
                if (user == null || user.isEmpty()) {
                    r.command("AUTH", password);
                } else {
                    r.command("AUTH", user, password);
                }
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                r.command("SELECT", path.substring(1));
            }
            return r;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** @param millis the read timeout, 0 for none (a subscriber waits for ever) */
    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends one command and reads its reply. */
    Object command(String... args) throws IOException {
        write(args);
        return read();
    }

    /** Sends one command without reading its reply. */
    void write(String... args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    /** Reads one reply: a String, a Long, null, or a List of them; an error reply throws. */
    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the Redis server closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ServerError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                if (n > MAX_BULK) {
                    throw new IOException("a bulk reply of " + n + " bytes");
                }
                byte[] b = in.readNBytes(n);
                if (b.length < n || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("a bulk reply was cut");
                }
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type);
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the Redis server closed the connection");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("a RESP line without LF");
                }
                return s.toString();
            }
            if (s.length() > 64 * 1024) {
                throw new IOException("a RESP line over 64 KB");
            }
            s.append((char) c);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
