package relay.api.spi;

import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.Side;

/**
 * Observes channel life cycles, for billing, monitoring or signalling. Register an
 * implementation as an OSGi service (whiteboard); the relay calls every registered
 * listener on one event thread of its own, in the order the events happened for each
 * channel, never on a forwarding thread. A slow listener delays other listeners, not media.
 * A listener that throws is logged and keeps receiving events.
 */
@ConsumerType
public interface ChannelListener {

    /**
     * A channel was allocated.
     *
     * @param channel the new channel
     */
    default void created(RelayChannel channel) {
    }

    /**
     * A side latched onto a peer. Called on every latch, not only on a side's first one: in
     * {@code handover} latching mode, a side that re-latches onto a new source (after its peer
     * was silent for {@code handover.quiet.ms}) is reported again, with the new peer in the
     * snapshot. A listener that wants a side's first latch only keeps its own books.
     *
     * @param channel the channel, after the latch
     * @param side the side that latched
     */
    default void latched(RelayChannel channel, Side side) {
    }

    /**
     * A channel was destroyed; its ports are back in the pool.
     *
     * @param channel its final snapshot, counters included
     * @param reason why
     * @param duration how long it lived
     */
    default void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
    }
}
