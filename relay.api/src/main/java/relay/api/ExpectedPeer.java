package relay.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who a side of a channel expects to hear from, as the caller knows it from signalling (an SDP
 * address, a Jingle candidate): an IP address, and a port unless any port will do. A side with
 * an expected peer latches only onto a matching source, so that whoever sprays the port range
 * first cannot take the port.
 *
 * <p>Made by {@link #parse} and {@link #of}; implemented by this package only.
 */
@ProviderType
public interface ExpectedPeer {

    /** @return the address the peer sends from */
    InetAddress address();

    /** @return the port the peer sends from, or 0 for any port */
    int port();

    /**
     * @param source where a datagram came from
     * @return whether it is this peer: the same address, and the same port unless any will do
     */
    default boolean matches(InetSocketAddress source) {
        return address().equals(source.getAddress()) && (port() == 0 || port() == source.getPort());
    }

    /**
     * Reads an IP address literal ({@code 192.0.2.7}, {@code 2001:db8::1}) or an address and a
     * port ({@code 192.0.2.7:4000}, {@code [2001:db8::1]:4000}). Never looks up a name.
     *
     * @param text the peer, as a person or a signalling message writes it
     * @return the peer
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static ExpectedPeer parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("peer is empty");
        }
        String s = text.strip();
        String host = s;
        int port = 0;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("peer '" + text + "': ']' is missing");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("peer '" + text + "': a port follows ']' after a ':'");
                }
                port = port(text, rest.substring(1));
            }
            if (!host.contains(":")) {
                throw new IllegalArgumentException("peer '" + text + "': brackets hold an IPv6 address");
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(text, s.substring(s.indexOf(':') + 1));
        }
        return new ExpectedPeerValue(literal(text, host), port);
    }

    /**
     * @param address the peer's address
     * @param port its port, or 0 for any
     * @return the peer
     * @throws IllegalArgumentException if the port is not 0..65535
     */
    static ExpectedPeer of(InetAddress address, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("peer port " + port + " is not in 0..65535");
        }
        return new ExpectedPeerValue(Objects.requireNonNull(address, "address"), port);
    }

    private static int port(String text, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("peer '" + text + "': the port is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer '" + text + "': the port is not a number from 1 to 65535");
        }
        return port;
    }

    private static InetAddress literal(String text, String host) {
        boolean v6 = host.indexOf(':') >= 0;
        boolean shape = v6 ? host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                : host.matches("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        if (shape && !v6) {
            for (String part : host.split("\\.")) {
                shape &= Integer.parseInt(part) <= 255;
            }
        }
        if (!shape) {
            throw new IllegalArgumentException("peer '" + text + "' is not an IP address (with an optional port)");
        }
        try {
            InetAddress a = InetAddress.getByName(host); // a literal: no lookup
            if (v6 != !(a instanceof Inet4Address) && !v6) {
                throw new IllegalArgumentException("peer '" + text + "' is not an IP address");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("peer '" + text + "' is not an IP address (with an optional port)");
        }
    }
}
