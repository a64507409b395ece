package relay.core;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/** The JDK's NIO channels and selectors: runs on every JVM (io.engine=nio). */
final class NioEngine implements IoEngine {

    static final NioEngine INSTANCE = new NioEngine();

    private NioEngine() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public UdpSocket open(InetAddress address, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        NioSocket socket = new NioSocket(ch);
        try {
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(address, port));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public Poller openPoller() throws IOException {
        return new NioPoller();
    }
}
