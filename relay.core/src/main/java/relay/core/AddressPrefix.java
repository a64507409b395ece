package relay.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

import relay.api.Addresses;

/**
 * An address or a prefix of addresses ({@code 192.0.2.7}, {@code 10.0.0.0/8}, {@code ::1},
 * {@code 2001:db8::/32}), read from configuration without any name lookup.
 */
final class AddressPrefix {

    private static final String IPV4 = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}";

    private final byte[] network;
    private final int bits;

    private AddressPrefix(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    static AddressPrefix parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        // dotted quads only (Java would read "10.1" as 10.0.0.1) and IPv6 literals: never a name
        if (!host.matches(IPV4) && !(host.contains(":") && host.matches("[0-9A-Fa-f:.]+"))) {
            throw new IllegalArgumentException("not an IP address or prefix");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or prefix");
        }
        int length = address.length * 8;
        int bits = length;
        if (slash >= 0) {
            String b = t.substring(slash + 1);
            if (!b.matches("\\d{1,3}") || Integer.parseInt(b) > length) {
                throw new IllegalArgumentException("a prefix length must be 0 to " + length);
            }
            bits = Integer.parseInt(b);
        }
        return new AddressPrefix(address, bits);
    }

    /** Whether {@code a} is in this prefix (an IPv4 address is never in an IPv6 prefix). */
    boolean matches(InetAddress a) {
        byte[] b = a.getAddress(); // a copy: asked on a latch only, never per forwarded datagram
        if (b.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        try {
            String host = Addresses.host(InetAddress.getByAddress(network));
            return bits == network.length * 8 ? host : host + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four or sixteen bytes: cannot happen
        }
    }
}
