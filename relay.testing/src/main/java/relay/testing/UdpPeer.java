package relay.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A real UDP socket on 127.0.0.1 (an ephemeral port) playing one party of a call. */
public final class UdpPeer implements AutoCloseable {

    /** The address every peer and every relay of the tests is on. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramSocket socket;

    /** @throws IOException if no socket can be bound on loopback */
    public UdpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setReceiveBufferSize(1 << 20);
        socket.setSoTimeout(2000);
    }

    /** @return this peer's port */
    public int port() {
        return socket.getLocalPort();
    }

    /** @return this peer's address, as the relay sees it */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends {@code data} to {@code port} on loopback. */
    public void send(int port, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }

    /** Sends {@code text}, in UTF-8, to {@code port} on loopback. */
    public void send(int port, String text) throws IOException {
        send(port, text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the next datagram, or null if none arrives within {@code millis} */
    public byte[] receive(int millis) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    /**
     * @return the next datagram, with the address it came from
     * @throws SocketTimeoutException if none arrives within {@code millis}
     */
    public DatagramPacket receivePacket(int millis) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(millis);
        socket.receive(p);
        return p;
    }

    /** @return the text, in UTF-8, of a datagram {@link #receivePacket} returned */
    public static String text(DatagramPacket packet) {
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        socket.close();
    }
}
