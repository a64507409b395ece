package relay.api;

import java.net.InetSocketAddress;

/** The one implementation of {@link ChannelSide}. */
record ChannelSideValue(int rtpPort, int rtcpPort, InetSocketAddress rtpPeer, InetSocketAddress rtcpPeer,
        ExpectedPeer expectedPeer, String host)
        implements ChannelSide {

    @Override
    public String toString() {
        return "ChannelSide[rtpPort=" + rtpPort + ", rtcpPort=" + rtcpPort + ", rtpPeer=" + rtpPeer + ", rtcpPeer="
                + rtcpPeer + (expectedPeer == null ? "" : ", expectedPeer=" + expectedPeer) + (host == null ? "" : ", host=" + host) + "]";
    }
}
