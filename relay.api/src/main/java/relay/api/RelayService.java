package relay.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The relay: allocates channels for users, lists them, destroys them.
 *
 * <p>All methods are thread safe and never block on media traffic. Channels outlive the
 * caller's interest: a channel that receives nothing for the idle timeout is destroyed by
 * the relay ({@link DestroyReason#EXPIRED}), so a caller that forgets one leaks nothing.
 */
@ProviderType
public interface RelayService {

    /**
     * Allocates a channel: asks every {@link relay.api.spi.RelayPolicy}, checks capacity and
     * drain mode, takes ports, starts forwarding, tells every {@link relay.api.spi.ChannelListener}.
     *
     * @param request who asks
     * @return the new channel; its ports are open when this returns
     * @throws RelayDeniedException if a policy, the capacity, the port pool or drain mode
     *         refuses; nothing is then held
     * @throws IllegalStateException if the relay is stopping
     */
    RelayChannel allocate(ChannelRequest request) throws RelayDeniedException;

    /**
     * @param id a channel id (any text: an unknown or malformed id is simply not found)
     * @return a fresh snapshot of that channel, or empty if there is no such live channel
     */
    Optional<RelayChannel> channel(String id);

    /** @return snapshots of all live channels, newest first */
    List<RelayChannel> channels();

    /**
     * @param owner a user
     * @return snapshots of that user's live channels, newest first
     */
    List<RelayChannel> channels(BareJid owner);

    /**
     * Destroys a channel with reason {@link DestroyReason#REQUESTED}.
     *
     * @param id a channel id
     * @return the channel's final snapshot, or empty if there was no such live channel
     */
    Optional<RelayChannel> destroy(String id);

    /**
     * Destroys a channel with a reason a caller may give: {@link DestroyReason#REQUESTED} or
     * {@link DestroyReason#REVOKED}.
     *
     * @param id a channel id
     * @param reason why
     * @return the channel's final snapshot, or empty if there was no such live channel
     * @throws IllegalArgumentException for {@link DestroyReason#EXPIRED}, {@link DestroyReason#SHUTDOWN}
     *         or {@link DestroyReason#FAULT}, which only the relay itself decides
     */
    Optional<RelayChannel> destroy(String id, DestroyReason reason);

    /**
     * Hands the destruction of a channel over to the relay and returns at once, without waiting
     * for its sockets to close. The reasons a caller may give are those of
     * {@link #destroy(String, DestroyReason)}.
     *
     * @param id a channel id
     * @param reason why: {@link DestroyReason#REQUESTED} or {@link DestroyReason#REVOKED}
     * @return a stage that completes with the channel's final snapshot once its sockets are closed
     *         and its ports are back in the pool, or with empty if there was no such live channel
     * @throws IllegalArgumentException at once for {@link DestroyReason#EXPIRED},
     *         {@link DestroyReason#SHUTDOWN} or {@link DestroyReason#FAULT}
     */
    CompletionStage<Optional<RelayChannel>> destroyAsync(String id, DestroyReason reason);

    /** @return totals since start */
    RelayStats stats();

    /** @return true if the relay refuses new channels while live ones run on */
    boolean draining();

    /**
     * Turns drain mode on or off. While draining, {@link #allocate} throws
     * {@link RelayDeniedException} with {@link RelayDeniedException.Reason#DRAINING};
     * live channels are untouched.
     *
     * @param draining the new mode
     */
    void drain(boolean draining);
}
