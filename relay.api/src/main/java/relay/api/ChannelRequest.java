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
     * @param side A or B
     * @return the IP version that side must speak, or empty for the relay's own address
     */
    Optional<AddressFamily> family(Side side);

    /**
     * @return whether both parties send RTCP on their RTP port (RFC 5761, as WebRTC always does), so the
     *         channel needs no RTCP ports whatever the relay's {@code rtcp} setting
     */
    boolean rtcpMux();

    /**
     * @param origin who passed the request on
     * @return a copy with that origin
     */
    default ChannelRequest withOrigin(String origin) {
        return new ChannelRequestValue(user(), origin == null ? "" : origin, expectedPeer(Side.A).orElse(null),
                expectedPeer(Side.B).orElse(null), family(Side.A).orElse(null), family(Side.B).orElse(null), rtcpMux());
    }

    /**
     * @param rtcpMux whether both parties multiplex RTCP on the RTP port: then each side gets its RTP port
     *        only (two sockets a channel rather than four)
     * @return a copy asking for that
     */
    default ChannelRequest withRtcpMux(boolean rtcpMux) {
        return new ChannelRequestValue(user(), origin(), expectedPeer(Side.A).orElse(null),
                expectedPeer(Side.B).orElse(null), family(Side.A).orElse(null), family(Side.B).orElse(null), rtcpMux);
    }

    /**
     * Asks for a bridge: each side on the IP version of its party (an IPv4 phone to an IPv6 one).
     *
     * @param familyA side A's IP version, or {@code null} for the relay's own address
     * @param familyB side B's IP version, or {@code null} for the relay's own address
     * @return a copy asking for those
     */
    default ChannelRequest withFamilies(AddressFamily familyA, AddressFamily familyB) {
        return new ChannelRequestValue(user(), origin(), expectedPeer(Side.A).orElse(null),
                expectedPeer(Side.B).orElse(null), familyA, familyB, rtcpMux());
    }

    /**
     * @param peerA the peer side A must latch onto, or {@code null} for the first source
     * @param peerB the peer side B must latch onto, or {@code null} for the first source
     * @return a copy expecting those peers
     */
    default ChannelRequest withExpectedPeers(ExpectedPeer peerA, ExpectedPeer peerB) {
        return new ChannelRequestValue(user(), origin(), peerA, peerB, family(Side.A).orElse(null),
                family(Side.B).orElse(null), rtcpMux());
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
        return new ChannelRequestValue(Objects.requireNonNull(user, "user"), origin == null ? "" : origin, null, null, null, null, false);
    }
}
