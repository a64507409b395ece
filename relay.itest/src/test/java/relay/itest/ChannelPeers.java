package relay.itest;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.testing.Poll;
import relay.testing.UdpPeer;

/**
 * The two parties of one relay channel, each a real UDP socket: A talks to the channel's port A,
 * B to its port B. {@link #latch} makes the relay latch onto both, {@link #assertForwardsBothWays}
 * proves datagrams cross the relay in each direction.
 */
final class ChannelPeers implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int RECEIVE_TIMEOUT_MS = 5000;

    private final RelayChannel channel;
    private final UdpPeer a = peer();
    private final UdpPeer b = peer();

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
        send(a, channel.portA(), "latch " + channel.id());
        Poll.until("side A of " + channel.id() + " to latch onto " + a.address(),
                () -> relay.channel(channel.id()).map(c -> a.address().equals(c.sideA().rtpPeer())).orElse(false));
        String first = "first from B " + SEQUENCE.incrementAndGet();
        send(b, channel.portB(), first);
        assertEquals("B's first datagram, relayed to A from port A", new Received(first, channel.portA()), receive(a));
        return this;
    }

    /** One datagram each way, each received by the other party from the relay's port on its side. */
    void assertForwardsBothWays() {
        String toB = "A to B " + SEQUENCE.incrementAndGet() + " on " + channel.id();
        send(a, channel.portA(), toB);
        assertEquals("A's datagram, relayed to B from port B", new Received(toB, channel.portB()), receive(b));
        String toA = "B to A " + SEQUENCE.incrementAndGet() + " on " + channel.id();
        send(b, channel.portB(), toA);
        assertEquals("B's datagram, relayed to A from port A", new Received(toA, channel.portA()), receive(a));
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }

    /** A datagram as a party receives it: its text and the relay port it came from. */
    private record Received(String text, int fromPort) {
    }

    private static UdpPeer peer() {
        try {
            return new UdpPeer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(UdpPeer from, int port, String text) {
        try {
            from.send(port, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next datagram; fails if none arrives in time */
    private static Received receive(UdpPeer peer) {
        try {
            DatagramPacket packet = peer.receivePacket(RECEIVE_TIMEOUT_MS);
            return new Received(UdpPeer.text(packet), packet.getPort());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram reached " + peer.address() + " within " + RECEIVE_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
