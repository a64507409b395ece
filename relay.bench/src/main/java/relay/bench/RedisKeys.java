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
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * The little of Redis the bench needs for {@code --cluster}: count and delete the keys under the
 * run's prefix (SCAN + DEL), in RESP over one socket. {@code redis://[user:password@]host:port/db}
 * or {@code rediss://} for TLS, as the cluster bundle takes them.
 */
final class RedisKeys implements Closeable {

    private static final int TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisKeys(URI uri) throws IOException {
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        Socket s = "rediss".equals(uri.getScheme()) ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MS);
        } catch (IOException e) {
            s.close();
            throw new IOException("Redis at " + uri.getHost() + ":" + port + " does not answer: " + e.getMessage(), e);
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream());
        try {
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null && !userInfo.isEmpty()) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? "" : decode(userInfo.substring(0, colon));
                String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
                if (user.isEmpty()) {
                    call("AUTH", password);
                } else {
                    call("AUTH", user, password);
                }
            }
            String db = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
            if (!db.isEmpty() && !db.equals("0")) {
                call("SELECT", db);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The keys under {@code prefix} (SCAN MATCH prefix*; the prefix's glob characters escaped). */
    List<String> keys(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Object reply = call("SCAN", cursor, "MATCH", glob(prefix) + "*", "COUNT", "1000");
            if (!(reply instanceof List<?> page) || page.size() != 2 || !(page.get(1) instanceof List<?> found)) {
                throw new IOException("SCAN answered " + reply);
            }
            cursor = (String) page.get(0);
            for (Object k : found) {
                keys.add((String) k);
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    /** Deletes every key under {@code prefix}; returns how many there were. */
    long deleteAll(String prefix) throws IOException {
        long deleted = 0;
        List<String> keys = keys(prefix);
        for (int i = 0; i < keys.size(); i += 500) {
            List<String> args = new ArrayList<>();
            args.add("DEL");
            args.addAll(keys.subList(i, Math.min(keys.size(), i + 500)));
            deleted += (Long) call(args.toArray(String[]::new));
        }
        return deleted;
    }

    /** Sends one command and reads its reply: String, Long, List or null; an error reply throws. */
    Object call(String... args) throws IOException {
        write(out, args);
        out.flush();
        return read(in);
    }

    static void write(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    /** One RESP2 reply. */
    static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis closed the connection");
        }
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                if (b.length < n + 2) {
                    throw new EOFException("Redis: a bulk string ended early");
                }
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(in));
                }
                return list;
            }
            default:
                throw new IOException("Redis: not a RESP reply: '" + (char) type + line + "'");
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("Redis: a reply ended early");
            }
            if (c == '\n' && prev == '\r') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    /** A literal for a SCAN MATCH pattern. */
    static String glob(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Percent-decoding of the URI's user info ('+' stays '+'). */
    static String decode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }
}
