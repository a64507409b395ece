package relay.http.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Host} header a request may carry to an API without a token: a name or address of
 * this host's loopback ({@code localhost}, {@code 127.x.y.z}, {@code [::1]}), with or without a
 * port. A web page that a rebinding DNS name has pointed at 127.0.0.1 still sends its own name,
 * so it is refused. Never looks a name up.
 */
final class Hosts {

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9a-f:.]+");

    private Hosts() {
    }

    /**
     * @param host the {@code Host} header, or null
     * @return whether it names this host's loopback
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        String name;
        String port;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = h.substring(1, close);
            String rest = h.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                return false;
            }
            if (!port(port) || !IPV6_TEXT.matcher(name).matches() || name.indexOf(':') < 0) {
                return false;
            }
            try {
                return InetAddress.getByName(name).isLoopbackAddress(); // an IPv6 literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return false;
            }
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            name = h.substring(0, colon);
            port = h.substring(colon + 1);
        } else {
            name = h;
            port = null;
        }
        if (!port(port)) {
            return false;
        }
        if (name.equals("localhost") || name.equals("localhost.")) {
            return true;
        }
        Matcher m = IPV4.matcher(name);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return m.group(1).equals("127");
    }

    private static boolean port(String port) {
        return port == null || (PORT.matcher(port).matches() && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535);
    }
}
