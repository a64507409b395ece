package relay.api;

import java.util.Optional;

/** The one implementation of {@link ChannelRequest}; its factories check the values. */
record ChannelRequestValue(BareJid user, String origin, ExpectedPeer peerA, ExpectedPeer peerB)
        implements ChannelRequest {

    @Override
    public Optional<ExpectedPeer> expectedPeer(Side side) {
        return Optional.ofNullable(side == Side.A ? peerA : peerB);
    }

    @Override
    public String toString() {
        return "ChannelRequest[user=" + user + ", origin=" + origin
                + (peerA == null ? "" : ", peerA=" + peerA) + (peerB == null ? "" : ", peerB=" + peerB) + "]";
    }
}
