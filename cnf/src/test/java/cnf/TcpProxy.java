package cnf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 to a local port, whose live connections can be cut at once as a
 * network failure does: the sockets close without a WebSocket close frame on either side.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> live = new CopyOnWriteArrayList<>();
    private volatile int accepted;
    private volatile boolean refusing;

    TcpProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "tcp-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                if (refusing) {
                    in.setSoLinger(true, 0);
                    quietly(in);
                    continue;
                }
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                live.add(in);
                live.add(out);
                accepted++;
                pipe(in, out);
                pipe(out, in);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) >= 0; ) {
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException e) {
                // cut
            } finally {
                quietly(from);
                quietly(to);
            }
        }, "tcp-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** While true, a new connection is reset as soon as it is accepted (the network is down). */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    /** Cuts every live connection (reset, no goodbye); new ones are still accepted. */
    void cut() {
        for (Socket s : live) {
            try {
                s.setSoLinger(true, 0); // RST
            } catch (IOException e) {
                // closed already
            }
            quietly(s);
        }
        live.clear();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed already
        }
        cut();
    }
}
