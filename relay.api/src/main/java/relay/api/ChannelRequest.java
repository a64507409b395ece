package relay.api;

import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A request for a channel, made on behalf of a user.
 *
 * <p>Made by {@link #of(String)} and {@link #of(BareJid, String)}; implemented by this package
 * only, so that a new accessor is a minor change of the API. Two requests are equal when every
 * accessor returns an equal value.
 */
@ProviderType
public interface ChannelRequest {

    /** @return the requester, whose bare JID the channel will belong to */
    BareJid user();

    /**
     * @return who passed the request on, for logs (for example {@code "rest 127.0.0.1"},
     *         {@code "shell"}, a bundle's name), empty if unknown; never used for decisions
     */
    String origin();

    /**
     * @param side A or B
     * @return the peer that side must latch onto, or empty if the first source is taken
     */
    Optional<ExpectedPeer> expectedPeer(Side side);

    /**
     * @param origin who passed the request on
     * @return a copy with that origin
     */
    default ChannelRequest withOrigin(String origin) {
        return new ChannelRequestValue(user(), origin == null ? "" : origin, expectedPeer(Side.A).orElse(null),
                expectedPeer(Side.B).orElse(null));
    }

    /**
     * @param peerA the peer side A must latch onto, or {@code null} for the first source
     * @param peerB the peer side B must latch onto, or {@code null} for the first source
     * @return a copy expecting those peers
     */
    default ChannelRequest withExpectedPeers(ExpectedPeer peerA, ExpectedPeer peerB) {
        return new ChannelRequestValue(user(), origin(), peerA, peerB);
    }

    /**
     * A request for {@code jid}, parsed with {@link BareJid#parse(String)}.
     *
     * @param jid the requester's JID (a resource is dropped)
     * @return the request, with an empty origin
     * @throws IllegalArgumentException if {@code jid} is not a valid JID
     */
    static ChannelRequest of(String jid) {
        return of(BareJid.parse(jid), "");
    }

    /**
     * @param user the requester
     * @param origin who passed the request on, or {@code null} for unknown (empty)
     * @return the request
     * @throws NullPointerException if {@code user} is missing
     */
    static ChannelRequest of(BareJid user, String origin) {
        return new ChannelRequestValue(Objects.requireNonNull(user, "user"), origin == null ? "" : origin, null, null);
    }
}
