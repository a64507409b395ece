package relay.signal.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears what happens to the endpoints of the signalling node: register one as an OSGi service
 * (whiteboard). Every method has an empty default, so a listener implements what it needs and a
 * method added later is a minor version. Calls come on one event thread of the node, in the order
 * the node saw the events, never on the thread that serves the connections; a listener that throws
 * is logged and keeps hearing. A listener must not block: events queue up behind it (the queue is
 * bounded; past it, events are dropped and counted).
 */
@ConsumerType
public interface SignalListener {

    /**
     * An endpoint said hello with a valid token.
     *
     * @param endpoint the endpoint id the node gave it
     * @param user the bare JID of the token's subject
     * @param address the client's IP address as the node saw it
     */
    default void connected(String endpoint, String user, String address) {
    }

    /**
     * An endpoint came back within the resume window: same id, same pools.
     *
     * @param endpoint the endpoint id
     * @param user its user
     * @param address the address it came back from
     */
    default void resumed(String endpoint, String user, String address) {
    }

    /**
     * An endpoint's session ended: it closed, was kicked, or did not come back in time.
     *
     * @param endpoint the endpoint id
     * @param user its user
     * @param reason {@code closed}, {@code kicked}, {@code expired} (no resume in time),
     *        {@code overflow} (its resume buffer filled up), {@code shutdown}, or {@code moved}
     *        (it resumed on another node, whose listeners hear {@link #resumed})
     */
    default void disconnected(String endpoint, String user, String reason) {
    }

    /**
     * An endpoint joined a pool.
     *
     * @param endpoint the endpoint id
     * @param user its user
     * @param pool the pool
     */
    default void joined(String endpoint, String user, String pool) {
    }

    /**
     * An endpoint left a pool (asked to, or its session ended).
     *
     * @param endpoint the endpoint id
     * @param user its user
     * @param pool the pool
     */
    default void left(String endpoint, String user, String pool) {
    }
}
