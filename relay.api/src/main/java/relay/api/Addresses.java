package relay.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How the relay writes addresses for people and JSON: IPv4 dotted, IPv6 in the RFC 5952 form
 * ({@code 2001:db8::1}: lower case, leading zeros dropped, the longest run of zero groups as
 * {@code ::}), and bracketed when a port follows ({@code [2001:db8::1]:4000}).
 */
public final class Addresses {

    private Addresses() {
    }

    /**
     * @param address an address
     * @return its text: dotted IPv4, or RFC 5952 IPv6 (with a {@code %scope} if it has one)
     */
    public static String host(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopeId() != 0) {
            s.append('%').append(v6.getScopeId());
        }
        return s.toString();
    }

    /**
     * @param endpoint an address and a port
     * @return {@code 192.0.2.7:4000} or {@code [2001:db8::1]:4000}
     */
    public static String endpoint(InetSocketAddress endpoint) {
        String host = host(endpoint.getAddress());
        return (endpoint.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }
}
