package relay.core;

import java.io.IOException;
import java.net.InetAddress;

/**
 * How the relay's sockets are made and watched (io.engine): the JDK's NIO channels everywhere, or plain descriptors
 * driven through the Foreign Function & Memory API on Java 22 and later, which hold a few bytes of heap a socket
 * where a {@code DatagramChannel} holds about 750.
 */
interface IoEngine {

    /** {@code nio} or {@code ffm}, as io.engine names it. */
    String name();

    /**
     * Opens a non-blocking UDP socket bound to {@code address:port}; an IPv6 address gives a dual-stack socket.
     *
     * @throws java.net.BindException the port is taken
     * @throws IOException any other failure; its message contains "Too many open files" when the process has no
     *         descriptor left
     */
    UdpSocket open(InetAddress address, int port) throws IOException;

    /** A poller for one I/O loop. */
    Poller openPoller() throws IOException;
}
