package relay.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A {@link UdpSocket} that is a JDK {@link DatagramChannel}, for the {@code nio} engine. */
final class NioSocket implements UdpSocket {

    final DatagramChannel channel;

    NioSocket(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public InetSocketAddress receive(ByteBuffer buffer) throws IOException {
        return (InetSocketAddress) channel.receive(buffer); // the JDK keeps one instance per sender
    }

    @Override
    public int send(ByteBuffer buffer, InetSocketAddress target) throws IOException {
        return channel.send(buffer, target);
    }

    @Override
    public int write(ByteBuffer buffer) throws IOException {
        return channel.write(buffer);
    }

    @Override
    public void connect(InetSocketAddress peer) throws IOException {
        channel.connect(peer);
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort; the descriptor is gone either way
        }
    }
}
