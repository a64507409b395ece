package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class KeepAliveHttpTest {

    /** A server that answers the requests of each connection with the next of {@code answers}, in order. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();
        final Thread thread;

        Scripted(List<String> answers) throws IOException {
            thread = new Thread(() -> {
                int next = 0;
                try {
                    while (next < answers.size()) {
                        try (Socket s = server.accept()) {
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                    StandardCharsets.ISO_8859_1));
                            OutputStream out = s.getOutputStream();
                            while (next < answers.size()) {
                                String head = readHead(in);
                                if (head == null) {
                                    break;
                                }
                                requests.add(head);
                                String answer = answers.get(next++);
                                out.write(answer.getBytes(StandardCharsets.UTF_8));
                                out.flush();
                                if (answer.contains("Connection: close")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            thread.start();
        }

        private static String readHead(BufferedReader in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int length = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    char[] body = new char[length];
                    int n = 0;
                    while (n < length) {
                        n += in.read(body, n, length - n);
                    }
                    return sb.append('\n').append(body).toString();
                }
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                sb.append(line).append('\n');
            }
            return null;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/relay");
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    @Test
    void requestsFollowEachOtherOnOneConnectionWhateverTheFraming() throws Exception {
        try (Scripted server = new Scripted(List.of(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"id\":\"a\"}\n",
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"id\r\n6;x=y\r\n\":\"b\"}\r\n0\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}"));
             KeepAliveHttp http = new KeepAliveHttp(server.url(), "0123456789abcdef")) {
            assertEquals(new KeepAliveHttp.Response(201, "{\"id\":\"a\"}\n"), http.post("/channels", "{\"user\":\"u@x\"}"));
            assertEquals(new KeepAliveHttp.Response(201, "{\"id\":\"b\"}"), http.post("/channels", "{}"));
            assertEquals(204, http.delete("/channels/a").status());
            assertEquals(new KeepAliveHttp.Response(503, "{}"), http.post("/channels", "{}"));
            assertEquals(1, http.connections());
            String first = server.requests.get(0);
            assertTrue(first.startsWith("POST /relay/channels HTTP/1.1\n"), first);
            assertTrue(first.contains("Host: 127.0.0.1:" + server.server.getLocalPort() + "\n")
                    && first.contains("Content-Type: application/json\n") && first.contains("Content-Length: 14\n")
                    && first.contains("Authorization: Bearer 0123456789abcdef\n") && first.endsWith("\n{\"user\":\"u@x\"}"),
                    first);
            assertTrue(server.requests.get(2).startsWith("DELETE /relay/channels/a HTTP/1.1\n"));
        }
    }

    @Test
    void aConnectionTheServerClosesIsReplacedAndCounted() throws Exception {
        try (Scripted server = new Scripted(List.of(
                "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n"));
             KeepAliveHttp http = new KeepAliveHttp(server.url(), null)) {
            assertEquals(204, http.delete("/channels/a").status());
            assertEquals(204, http.delete("/channels/b").status());
            assertEquals(2, http.connections());
            assertTrue(!server.requests.get(0).contains("Authorization"));
        }
    }

    @Test
    void aConnectionThatBreaksUnderARequestIsAnErrorNotARetry() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             KeepAliveHttp http = new KeepAliveHttp(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/relay"), null)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (IOException e) {
                    // closed
                }
            });
            t.start();
            IOException e = assertThrows(IOException.class, () -> http.post("/channels", "{}"));
            assertTrue(e.getMessage().contains("POST /channels") && e.getMessage().contains("broke"), e.getMessage());
            t.join(5000);
            assertEquals(1, http.connections());
        }
    }
}
