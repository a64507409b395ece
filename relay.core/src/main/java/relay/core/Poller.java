package relay.core;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Readiness of one I/O loop's sockets: a selector or an epoll instance. Only the loop's thread calls it, but for
 * {@link #wakeup}.
 */
interface Poller {

    /**
     * Reports {@code endpoint} whenever its socket has a datagram queued (level-triggered: again at the next select
     * while one is).
     *
     * @throws IOException the socket is already closed, or cannot be watched
     */
    void register(UdpSocket socket, Endpoint endpoint) throws IOException;

    /**
     * Waits until a socket is ready or {@link #wakeup} is called, then hands every ready socket's endpoint to
     * {@code ready}; it also lets go of sockets closed since the last call.
     */
    void select(Consumer<Endpoint> ready) throws IOException;

    /** {@link #select} without waiting. */
    void selectNow(Consumer<Endpoint> ready) throws IOException;

    /** Any thread: ends the current or the next {@link #select} at once. */
    void wakeup();

    /** Closes every socket still registered, then the poller itself; quietly. */
    void close();
}
