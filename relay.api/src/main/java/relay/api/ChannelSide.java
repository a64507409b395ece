package relay.api;

import java.net.InetSocketAddress;

/**
 * One side of a channel, as a snapshot: its ports and the peers latched onto them.
 *
 * @param rtpPort the RTP port (even when RTCP is on)
 * @param rtcpPort the RTCP port ({@code rtpPort + 1}), or 0 when the channel has no RTCP ports
 * @param rtpPeer the peer latched on the RTP port, or {@code null} before the first datagram
 * @param rtcpPeer the peer latched on the RTCP port, or {@code null}
 */
public record ChannelSide(int rtpPort, int rtcpPort, InetSocketAddress rtpPeer, InetSocketAddress rtcpPeer) {

    /** @return true once the RTP port (or, failing that, the RTCP port) has a latched peer */
    public boolean latched() {
        return rtpPeer != null || rtcpPeer != null;
    }
}
