package relay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A tiny latching UDP relay for the tests, on real sockets of 127.0.0.1: channel i has ports A
 * and B; the first datagram on a port latches its peer, and datagrams from any other source are
 * dropped and counted (strict latching); a datagram on A goes out of B to B's peer and vice
 * versa, once both sides latched. It can drop chosen datagrams or send them out of the next
 * channel's sockets (misrouting), to show that the bench notices.
 */
final class LoopbackForwarder implements AutoCloseable {

    private final Selector selector = Selector.open();
    private final List<Side[]> channels = new ArrayList<>();
    private final Thread thread;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
    private final Predicate<ByteBuffer> drop;
    private final boolean misroute;
    private volatile boolean running = true;
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    /** Datagrams from another source than the port's latched peer. */
    final AtomicLong foreign = new AtomicLong();
    /** Datagrams that arrived before the far side latched. */
    final AtomicLong notLatched = new AtomicLong();
    /** Sources of the foreign datagrams. */
    final Set<InetAddress> foreignSources = Collections.synchronizedSet(new HashSet<>());
    final Set<Integer> ssrcs = Collections.synchronizedSet(new HashSet<>());

    private static final class Side {
        final DatagramChannel channel;
        final int channelIndex;
        final boolean isA;
        SocketAddress peer;

        Side(DatagramChannel channel, int channelIndex, boolean isA) {
            this.channel = channel;
            this.channelIndex = channelIndex;
            this.isA = isA;
        }
    }

    LoopbackForwarder(int n) throws IOException {
        this(n, b -> false, false);
    }

    /**
     * @param drop     datagrams (after latching) for which this is true are dropped and counted
     * @param misroute send everything out of the next channel's sockets instead
     */
    LoopbackForwarder(int n, Predicate<ByteBuffer> drop, boolean misroute) throws IOException {
        this.drop = drop;
        this.misroute = misroute;
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < n; i++) {
            Side[] pair = new Side[2];
            for (int s = 0; s < 2; s++) {
                DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
                ch.configureBlocking(false);
                pair[s] = new Side(ch, i, s == 0);
                ch.register(selector, SelectionKey.OP_READ, pair[s]);
            }
            channels.add(pair);
        }
        thread = new Thread(this::loop, "test-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    int size() {
        return channels.size();
    }

    RelayClient.Channel channel(int i) throws IOException {
        Side[] pair = channels.get(i);
        return new RelayClient.Channel("ch" + i, (InetSocketAddress) pair[0].channel.getLocalAddress(),
                (InetSocketAddress) pair[1].channel.getLocalAddress());
    }

    List<RelayClient.Channel> all() throws IOException {
        List<RelayClient.Channel> list = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            list.add(channel(i));
        }
        return list;
    }

    private void loop() {
        try {
            while (running) {
                selector.select(this::receive, 50);
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed
        }
    }

    private void receive(SelectionKey key) {
        Side in = (Side) key.attachment();
        try {
            while (true) {
                buf.clear();
                SocketAddress from = in.channel.receive(buf);
                if (from == null) {
                    return;
                }
                buf.flip();
                if (in.peer == null) {
                    in.peer = from;
                } else if (!in.peer.equals(from)) {
                    foreign.incrementAndGet();
                    foreignSources.add(((InetSocketAddress) from).getAddress());
                    continue;
                }
                if (buf.remaining() >= RtpPacket.HEADER) {
                    ssrcs.add(RtpPacket.ssrc(buf));
                }
                int target = misroute ? (in.channelIndex + 1) % channels.size() : in.channelIndex;
                Side out = channels.get(target)[in.isA ? 1 : 0];
                if (out.peer == null) {
                    notLatched.incrementAndGet();
                    continue;                           // far side not latched yet
                }
                if (drop.test(buf)) {
                    dropped.incrementAndGet();
                    continue;
                }
                out.channel.send(buf, out.peer);
                forwarded.incrementAndGet();
            }
        } catch (IOException e) {
            // an ICMP error of an earlier send: keep going, as a relay must
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Side[] pair : channels) {
            pair[0].channel.close();
            pair[1].channel.close();
        }
        selector.close();
    }
}
