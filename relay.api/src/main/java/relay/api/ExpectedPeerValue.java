package relay.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The one implementation of {@link ExpectedPeer}; its factories check the values. */
record ExpectedPeerValue(InetAddress address, int port) implements ExpectedPeer {

    /** As {@link ExpectedPeer#parse} reads it back: {@code 192.0.2.7:4000}, {@code [2001:db8::1]:4000}. */
    @Override
    public String toString() {
        return port == 0 ? Addresses.host(address) : Addresses.endpoint(new InetSocketAddress(address, port));
    }
}
