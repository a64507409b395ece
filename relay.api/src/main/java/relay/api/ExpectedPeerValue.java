package relay.api;

import java.net.Inet6Address;
import java.net.InetAddress;

/** The one implementation of {@link ExpectedPeer}; its factories check the values. */
record ExpectedPeerValue(InetAddress address, int port) implements ExpectedPeer {

    /** As {@link ExpectedPeer#parse} reads it back: {@code 192.0.2.7:4000}, {@code [2001:db8::1]:4000}. */
    @Override
    public String toString() {
        String host = address.getHostAddress();
        if (port == 0) {
            return host;
        }
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
