package relay.api;

import java.util.Optional;

/** The one implementation of {@link ChannelRequest}; its factories check the values. */
record ChannelRequestValue(BareJid user, String origin, ExpectedPeer peerA, ExpectedPeer peerB, AddressFamily familyA,
        AddressFamily familyB, boolean rtcpMux)
        implements ChannelRequest {

    @Override
    public Optional<ExpectedPeer> expectedPeer(Side side) {
        return Optional.ofNullable(side == Side.A ? peerA : peerB);
    }

    @Override
    public Optional<AddressFamily> family(Side side) {
        return Optional.ofNullable(side == Side.A ? familyA : familyB);
    }

    @Override
    public String toString() {
        return "ChannelRequest[user=" + user + ", origin=" + origin
                + (peerA == null ? "" : ", peerA=" + peerA) + (peerB == null ? "" : ", peerB=" + peerB)
                + (familyA == null ? "" : ", familyA=" + familyA) + (familyB == null ? "" : ", familyB=" + familyB)
                + (rtcpMux ? ", rtcpMux" : "") + "]";
    }
}
