package relay.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The validated values of PID {@code relay.http}: what {@link HttpConfig} cannot say by its
 * types. {@link #from} names the key and the value of anything it refuses.
 *
 * @param address the address the API listens on
 * @param port its TCP port
 * @param token the bearer token clients must send, empty for none (loopback clients only)
 */
record HttpSettings(String address, int port, String token) {

    private static final Pattern IPV4_SHAPED = Pattern.compile("[0-9.]+");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** The settings without any configuration: the defaults of {@link HttpConfig}. */
    static final HttpSettings DEFAULTS = from(Unconfigured.class.getAnnotation(HttpConfig.class));

    /**
     * @param config the component's configuration
     * @return the settings
     * @throws IllegalArgumentException naming the key and value that is not acceptable
     */
    static HttpSettings from(HttpConfig config) {
        String address = config.address().trim();
        if (address.isEmpty()) {
            throw new IllegalArgumentException("relay.http: address is empty");
        }
        if (!isAddressOrHostName(address)) {
            throw new IllegalArgumentException("relay.http: address = '" + address + "' is not an IP address or host name");
        }
        String portText = config.port().trim();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay.http: port = '" + portText + "' is not a TCP port (1..65535)");
        }
        return new HttpSettings(address, port, config.token().trim());
    }

    /** @return true if the address is a loopback one, so that no other host can reach the API */
    boolean loopbackOnly() {
        return address.equals("localhost") || address.startsWith("127.") || address.equals("::1") || address.equals("[::1]");
    }

    /** @return true when the same listener serves both: only the token differs */
    boolean sameListener(HttpSettings other) {
        return address.equals(other.address) && port == other.port;
    }

    /** Checks the form only: resolving a name here could hang on DNS, and Jetty reports what it cannot bind. */
    private static boolean isAddressOrHostName(String s) {
        if (s.indexOf(':') >= 0) {
            try {
                InetAddress.getByName(s); // an IPv6 literal is parsed, never looked up
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        if (IPV4_SHAPED.matcher(s).matches()) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                return false;
            }
            for (String octet : octets) {
                if (octet.isEmpty() || octet.length() > 3 || Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        return s.length() <= 253 && HOST_NAME.matcher(s).matches();
    }

    /** Carries {@link HttpConfig} with nothing set, so that its defaults can be read at run time. */
    @HttpConfig
    private static final class Unconfigured {
    }
}
