package relay.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;

/**
 * A rule every allocation must pass. Register an implementation as an OSGi service; the
 * relay binds all of them dynamically and asks each one, in service ranking order, before
 * it allocates: all must allow, the first denial wins and is reported with {@link #name()}.
 *
 * <p>The relay calls {@link #evaluate} for one user at a time (never twice concurrently for
 * the same user) but concurrently for different users, so implementations must be thread
 * safe. A policy that throws denies the request (the relay fails closed) and is logged.
 * {@link #allocated} lets a stateful policy (a rate limit) keep its books.
 */
@ConsumerType
public interface RelayPolicy {

    /** @return a short, stable name for denials, logs and the shell (for example {@code "whitelist"}) */
    String name();

    /**
     * Decides whether {@code request} may have a channel.
     *
     * @param request the request, with a valid bare JID
     * @param context the relay's current state
     * @return allow or deny; never {@code null}
     */
    PolicyDecision evaluate(ChannelRequest request, PolicyContext context);

    /**
     * Called after every policy allowed the request and the channel exists, still inside the
     * per-user critical section. The default does nothing.
     *
     * @param channel the new channel
     */
    default void allocated(RelayChannel channel) {
    }

    /**
     * Called when this policy allowed {@code request} but no channel came of it: a policy asked
     * after it denied, or the relay itself refused (capacity, ports, a stop). Still inside the
     * per-user critical section. A policy that books something in {@link #evaluate} (a shared
     * count, a rate) gives it back here. The default does nothing.
     *
     * @param request the request that this policy allowed
     * @since 1.1
     */
    default void notAllocated(ChannelRequest request) {
    }

    /** @return a one-line summary of the policy's configuration, for operators */
    default String describe() {
        return name();
    }
}
