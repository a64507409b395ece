package relay.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One party of a call: a real UDP socket on 127.0.0.1 that sends to and hears from the relay. */
final class UdpPeer implements AutoCloseable {

    /** A datagram as it arrived: its text and where it came from. */
    record Received(String text, InetSocketAddress from) {
    }

    private final DatagramSocket socket;

    UdpPeer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(250);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(InetSocketAddress to, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The next datagram, or empty when none came within the socket's short timeout. */
    Optional<Received> receive() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(new Received(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                (InetSocketAddress) p.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
