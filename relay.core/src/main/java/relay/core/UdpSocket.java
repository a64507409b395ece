package relay.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One bound, non-blocking UDP socket of a channel, as its {@link IoEngine} made it. Opened and closed by the
 * conductor, read and written only by the I/O loop it is registered with.
 */
interface UdpSocket {

    /**
     * Receives one datagram into {@code buffer} from its position, advancing the position by its length.
     *
     * @return the sender, or {@code null} when nothing is queued; while the sender stays the same, the same instance,
     *         so that the forwarding path compares references and allocates nothing
     * @throws IOException an error the socket reports (an ICMP error on a connected socket)
     */
    InetSocketAddress receive(ByteBuffer buffer) throws IOException;

    /**
     * Sends the buffer's remaining bytes as one datagram.
     *
     * @return the bytes sent: all of them, or {@code 0} when the socket's send buffer is full
     */
    int send(ByteBuffer buffer, InetSocketAddress target) throws IOException;

    /** {@link #send} on a connected socket, to its peer; an empty buffer sends nothing and returns 0. */
    int write(ByteBuffer buffer) throws IOException;

    /** From now on only {@code peer} is received from, and {@link #write} sends to it. */
    void connect(InetSocketAddress peer) throws IOException;

    boolean isConnected();

    /** Closes the socket, quietly; idempotent, any thread. */
    void close();
}
