package relay.shell;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A real UDP socket on 127.0.0.1 (an ephemeral port) playing one party of a call. */
final class UdpPeer implements AutoCloseable {

    private final DatagramSocket socket;

    UdpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5000);
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(int port, int size) throws IOException {
        socket.send(new DatagramPacket(new byte[size], size, InetAddress.getLoopbackAddress(), port));
    }

    /** @return the size of the next datagram; fails the test if none comes within 5 s */
    int receive() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        return p.getLength();
    }

    @Override
    public void close() {
        socket.close();
    }
}
