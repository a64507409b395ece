package relay.api;

import java.time.Instant;

/** The one implementation of {@link RelayChannel}; {@link RelayChannel.Builder} checks the values. */
record RelayChannelValue(String id, BareJid owner, String host, boolean rtcp, ChannelSide sideA, ChannelSide sideB,
        Instant created, Instant lastActivity, long expire, ChannelState state, Traffic aToB, Traffic bToA, int maxKbps,
        int maxPps)
        implements RelayChannel {

    @Override
    public String toString() {
        return "RelayChannel[id=" + id + ", owner=" + owner + ", host=" + host + ", rtcp=" + rtcp + ", sideA=" + sideA
                + ", sideB=" + sideB + ", created=" + created + ", lastActivity=" + lastActivity + ", expire=" + expire
                + ", state=" + state + ", aToB=" + aToB + ", bToA=" + bToA
                + (maxKbps == 0 && maxPps == 0 ? "" : ", maxKbps=" + maxKbps + ", maxPps=" + maxPps) + "]";
    }
}
