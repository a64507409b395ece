package relay.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An immutable snapshot of a channel: what it was when {@link RelayService} made the copy.
 * Ask the service again for fresh counters.
 *
 * @param id random, unguessable, URL-safe identifier
 * @param owner the user the channel was allocated for
 * @param host the address both parties send to
 * @param rtcp whether each side also has an RTCP port (RTP + 1)
 * @param sideA the requester's side (Jingle {@code localport} is {@code sideA.rtpPort()})
 * @param sideB the other party's side (Jingle {@code remoteport} is {@code sideB.rtpPort()})
 * @param created when the channel was allocated
 * @param lastActivity when a datagram was last received on any of its ports ({@code created} if never)
 * @param expire the idle timeout in seconds that applies to it
 * @param state its state
 * @param aToB datagrams received on side A: forwarded to B, or dropped
 * @param bToA datagrams received on side B: forwarded to A, or dropped
 */
public record RelayChannel(String id, BareJid owner, String host, boolean rtcp, ChannelSide sideA,
        ChannelSide sideB, Instant created, Instant lastActivity, long expire, ChannelState state,
        Traffic aToB, Traffic bToA) {

    /** Checks that no mandatory component is missing. */
    public RelayChannel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sideA, "sideA");
        Objects.requireNonNull(sideB, "sideB");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(aToB, "aToB");
        Objects.requireNonNull(bToA, "bToA");
    }

    /** @return side A's RTP port, the requester's port (Jingle {@code localport}) */
    public int portA() {
        return sideA.rtpPort();
    }

    /** @return side B's RTP port, the other party's port (Jingle {@code remoteport}) */
    public int portB() {
        return sideB.rtpPort();
    }

    /**
     * @param side A or B
     * @return that side
     */
    public ChannelSide side(Side side) {
        return side == Side.A ? sideA : sideB;
    }
}
