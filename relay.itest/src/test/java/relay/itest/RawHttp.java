package relay.itest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One HTTP/1.1 exchange written byte for byte on a TCP connection, for what an HTTP client
 * library will not send: any {@code Host}, a browser's {@code Origin} and preflight, a chosen
 * source address on loopback (127.0.0.2 is this host too, but another client to the API).
 */
final class RawHttp {

    /** The answer: status, headers (names in lower case), body. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        /** @return the body as a JSON object; fails with the answer shown if it is not one */
        JsonObject json() {
            try {
                return JsonParser.parseString(body).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON object (" + status + " " + headers + "): " + body, e);
            }
        }
    }

    private RawHttp() {
    }

    /**
     * @param from the local address to send from
     * @param port the API's port on 127.0.0.1
     * @param head the request line and headers, each line ending in CRLF, without the empty line
     * @param body the body, or null
     * @return the answer
     */
    static Response exchange(InetAddress from, int port, String head, String body) {
        return exchangeBytes(from, port, head, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #exchange(InetAddress, int, String, String)}, with a body of any bytes. */
    static Response exchangeBytes(InetAddress from, int port, String head, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        String request = head + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = line(in);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                }
            }
            byte[] content = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
            return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with 127.0.0.1:" + port, e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
