package relay.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One party of a media session: a real UDP socket on 127.0.0.1 that sends to and hears from the relay. */
final class UdpPeer implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final int RECEIVE_TIMEOUT_MS = 5000;

    private final DatagramSocket socket;

    UdpPeer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code text} to the relay's {@code port}. */
    void send(String text, int port) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(data, data.length, LOOPBACK, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the next datagram's text and the port it came from; fails if none arrives in time
     */
    Received receive() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram reached " + socket.getLocalSocketAddress() + " within "
                    + RECEIVE_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Received(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8), packet.getPort());
    }

    /** @return this peer's address, as the relay sees it */
    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** A datagram as a peer receives it. */
    record Received(String text, int fromPort) {
    }
}
