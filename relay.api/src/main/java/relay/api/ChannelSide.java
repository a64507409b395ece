package relay.api;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One side of a channel, as a snapshot: its ports and the peers latched onto them.
 *
 * <p>Made by {@link #of}; implemented by this package only, so that a new accessor is a minor
 * change of the API. Two sides are equal when every accessor returns an equal value.
 */
@ProviderType
public interface ChannelSide {

    /** @return the RTP port (even when RTCP is on) */
    int rtpPort();

    /** @return the RTCP port ({@code rtpPort + 1}), or 0 when the channel has no RTCP ports */
    int rtcpPort();

    /** @return the peer latched on the RTP port, or {@code null} before the first datagram */
    InetSocketAddress rtpPeer();

    /** @return the peer latched on the RTCP port, or {@code null} */
    InetSocketAddress rtcpPeer();

    /**
     * @return the peer this side waits for, or {@code null} if the first source is taken (see
     *         {@link ExpectedPeer})
     */
    ExpectedPeer expectedPeer();

    /**
     * @return the address this side's party sends to; {@code null} when the channel has one
     *         address for both sides ({@link RelayChannel#host()})
     */
    String host();

    /**
     * @param host the address of this side, or {@code null} for the channel's
     * @return a copy with that address
     */
    default ChannelSide withHost(String host) {
        return new ChannelSideValue(rtpPort(), rtcpPort(), rtpPeer(), rtcpPeer(), expectedPeer(), host);
    }

    /**
     * @param peer the peer this side waits for, or {@code null} for none
     * @return a copy with that expected peer
     */
    default ChannelSide withExpectedPeer(ExpectedPeer peer) {
        return new ChannelSideValue(rtpPort(), rtcpPort(), rtpPeer(), rtcpPeer(), peer, host());
    }

    /** @return true once the RTP port (or, failing that, the RTCP port) has a latched peer */
    default boolean latched() {
        return rtpPeer() != null || rtcpPeer() != null;
    }

    /**
     * @param rtpPort the RTP port
     * @param rtcpPort the RTCP port, or 0 for none
     * @param rtpPeer the peer latched on the RTP port, or {@code null}
     * @param rtcpPeer the peer latched on the RTCP port, or {@code null}
     * @return the side
     */
    static ChannelSide of(int rtpPort, int rtcpPort, InetSocketAddress rtpPeer, InetSocketAddress rtcpPeer) {
        return new ChannelSideValue(rtpPort, rtcpPort, rtpPeer, rtcpPeer, null, null);
    }
}
