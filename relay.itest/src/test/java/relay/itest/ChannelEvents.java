package relay.itest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.api.spi.ChannelListener;
import relay.testing.Poll;

/**
 * A {@link ChannelListener} registered as a service by the tests' bundle (the whiteboard way
 * another bundle would), recording every event the relay sends it.
 */
final class ChannelEvents implements ChannelListener, AutoCloseable {

    /** What happened to which channel: the side for LATCHED, the reason for DESTROYED. */
    record Event(Kind kind, String channelId, Object detail, RelayChannel channel) {
    }

    enum Kind { CREATED, LATCHED, DESTROYED }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<ChannelListener> registration;

    /** @return a listener registered as a {@link ChannelListener} service */
    static ChannelEvents register(BundleContext context) {
        ChannelEvents listener = new ChannelEvents();
        listener.registration = context.registerService(ChannelListener.class, listener, null);
        return listener;
    }

    @Override
    public void created(RelayChannel channel) {
        events.add(new Event(Kind.CREATED, channel.id(), null, channel));
    }

    @Override
    public void latched(RelayChannel channel, Side side) {
        events.add(new Event(Kind.LATCHED, channel.id(), side, channel));
    }

    @Override
    public void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
        events.add(new Event(Kind.DESTROYED, channel.id(), reason, channel));
    }

    /** @return the event, waiting for it up to the poll deadline */
    Event await(Kind kind, String channelId, Object detail) {
        return Poll.until(() -> kind + " " + (detail == null ? "" : detail + " ") + "of channel " + channelId
                + " (events then: " + events + ")", () -> events.stream()
                        .filter(e -> e.kind() == kind && e.channelId().equals(channelId)
                                && (detail == null || detail.equals(e.detail())))
                        .findFirst().orElse(null));
    }

    /** @return every event of {@code channelId}, in the order received */
    List<Event> of(String channelId) {
        return events.stream().filter(e -> e.channelId().equals(channelId)).toList();
    }

    @Override
    public void close() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
