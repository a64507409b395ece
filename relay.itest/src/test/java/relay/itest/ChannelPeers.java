package relay.itest;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

import relay.api.RelayChannel;
import relay.api.RelayService;

/**
 * The two parties of one relay channel, each a real UDP socket: A talks to the channel's port A,
 * B to its port B. {@link #latch} makes the relay latch onto both, {@link #assertForwardsBothWays}
 * proves datagrams cross the relay in each direction.
 */
final class ChannelPeers implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final RelayChannel channel;
    private final UdpPeer a = new UdpPeer();
    private final UdpPeer b = new UdpPeer();

    ChannelPeers(RelayChannel channel) {
        this.channel = channel;
    }

    RelayChannel channel() {
        return channel;
    }

    /**
     * A sends first and the test waits for the relay to record A's latch before B sends, so
     * B's first datagram has a latched peer to go to: that one must reach A.
     */
    ChannelPeers latch(RelayService relay) {
        a.send("latch " + channel.id(), channel.portA());
        Poll.until("side A of " + channel.id() + " to latch onto " + a.address(),
                () -> relay.channel(channel.id()).map(c -> a.address().equals(c.sideA().rtpPeer())).orElse(false));
        String first = "first from B " + SEQUENCE.incrementAndGet();
        b.send(first, channel.portB());
        assertEquals("B's first datagram, relayed to A from port A", new UdpPeer.Received(first, channel.portA()), a.receive());
        return this;
    }

    /** One datagram each way, each received by the other party from the relay's port on its side. */
    void assertForwardsBothWays() {
        String toB = "A to B " + SEQUENCE.incrementAndGet() + " on " + channel.id();
        a.send(toB, channel.portA());
        assertEquals("A's datagram, relayed to B from port B", new UdpPeer.Received(toB, channel.portB()), b.receive());
        String toA = "B to A " + SEQUENCE.incrementAndGet() + " on " + channel.id();
        b.send(toA, channel.portB());
        assertEquals("B's datagram, relayed to A from port A", new UdpPeer.Received(toA, channel.portA()), a.receive());
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
