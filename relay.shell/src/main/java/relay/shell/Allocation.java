package relay.shell;

import relay.api.RelayChannel;

/**
 * What {@code relay:allocate} returns: the new channel, with accessors named as a Jingle
 * Nodes (XEP-0278) client knows them, so that a script can write {@code $a localport}.
 *
 * @param channel the new channel
 */
public record Allocation(RelayChannel channel) {

    /** @return the channel id */
    public String id() {
        return channel.id();
    }

    /** @return the address both parties send to */
    public String host() {
        return channel.host();
    }

    /** @return the address the requester sends to (side A): {@link #host()}, or its own on a bridge */
    public String hostA() {
        return channel.sideA().host() == null ? channel.host() : channel.sideA().host();
    }

    /** @return the address the other party sends to (side B): {@link #host()}, or its own on a bridge */
    public String hostB() {
        return channel.sideB().host() == null ? channel.host() : channel.sideB().host();
    }

    /** @return the requester's port (side A) */
    public int localport() {
        return channel.portA();
    }

    /** @return the other party's port (side B) */
    public int remoteport() {
        return channel.portB();
    }

    /** @return seconds without traffic after which the relay destroys the channel */
    public long expire() {
        return channel.expire();
    }
}
