package relay.signal;

import java.net.InetAddress;

/**
 * One client connection as the {@link Hub} sees it: the WebSocket of {@link SignalSocket} in the
 * node, a recording stand-in in the hub's unit tests. Every method returns at once: sends, pings
 * and the close are queued, in order, for the connection's writer thread, never written on the
 * caller's. The hub calls them from its thread only (a socket also answers a rate-limited frame
 * itself).
 */
interface Link {

    /** @return the client's IP address */
    InetAddress address();

    /** Queues a text frame; a link whose client does not read closes itself (1008) past its budget. */
    void send(String text);

    /** Sends a WebSocket ping; the pong comes back as {@link Hub#pong}. */
    void ping();

    /** Closes the connection with this code and reason (once; later calls do nothing). */
    void close(int code, String reason);
}
