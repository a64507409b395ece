package relay.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated values of PID {@code relay.http}: what {@link HttpConfig} cannot say by its
 * types. {@link #from} names the key and the value of anything it refuses, except a secret,
 * which it names by its key only.
 *
 * @param address the address the API listens on
 * @param port its TCP port
 * @param token the bearer token clients must send, empty for none (clients on this host only)
 * @param tlsKeystore the absolute path of the PKCS#12 keystore, empty for plain HTTP
 * @param tlsPassword the keystore's password, empty without TLS
 */
record HttpSettings(String address, int port, String token, String tlsKeystore, String tlsPassword) {

    /** The shortest token taken: 16 characters of a random token are beyond guessing. */
    static final int MIN_TOKEN_LENGTH = 16;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
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
        String address = text(config.address()).trim();
        if (address.isEmpty()) {
            throw new IllegalArgumentException("relay.http: address is empty");
        }
        if (!isAddressOrHostName(address)) {
            throw new IllegalArgumentException("relay.http: address = '" + address + "' is not an IP address or host name");
        }
        String portText = text(config.port()).trim();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay.http: port = '" + portText + "' is not a TCP port (1..65535)");
        }
        String token = token(text(config.token()));
        String keystore = text(config.tls_keystore()).trim();
        String password = text(config.tls_password());
        if (keystore.isEmpty()) {
            if (!password.isEmpty()) {
                throw new IllegalArgumentException("relay.http: tls.password is set but tls.keystore is empty;"
                        + " set both for HTTPS, or neither");
            }
            return new HttpSettings(address, port, token, "", "");
        }
        return new HttpSettings(address, port, token, keystore(keystore, password), password);
    }

    /** DS gives null for a key whose value is an empty list: that is no value. */
    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** A token clients can send in a header: empty, or 16 or more printable ASCII characters, never shown. */
    private static String token(String raw) {
        String token = raw.trim();
        if (token.isEmpty()) {
            return token;
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("relay.http: token holds a space, a control character or a character"
                    + " that is not ASCII; a token is printable ASCII (not shown here)");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("relay.http: token is " + token.length() + " characters long; a token needs"
                    + " at least " + MIN_TOKEN_LENGTH + " (not shown here)");
        }
        return token;
    }

    /** Opens the keystore as Jetty will, so that what cannot serve is refused here with its reason. */
    private static String keystore(String configured, String password) {
        if (password.isEmpty()) {
            throw new IllegalArgumentException("relay.http: tls.keystore = '" + configured + "' needs tls.password,"
                    + " which is empty");
        }
        Path path;
        try {
            path = Path.of(configured).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("relay.http: tls.keystore = '" + configured + "' is not a path");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("relay.http: tls.keystore = '" + path + "' is not a readable file");
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("relay.http: tls.keystore = '" + path + "' cannot be opened as PKCS#12 with"
                    + " tls.password: " + reason(e));
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return path.toString();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("relay.http: tls.keystore = '" + path + "' cannot be read: " + reason(e));
        }
        throw new IllegalArgumentException("relay.http: tls.keystore = '" + path + "' holds no private key, only"
                + " certificates: make it with keytool -genkeypair, or import the key and its chain");
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** @return true if the API serves HTTPS */
    boolean tls() {
        return !tlsKeystore.isEmpty();
    }

    /** @return {@code https} or {@code http} */
    String scheme() {
        return tls() ? "https" : "http";
    }

    /** @return the API's base URL, as logs show it */
    String url() {
        return scheme() + "://" + hostPort() + "/relay";
    }

    /** @return {@code address:port}, an IPv6 address in brackets */
    String hostPort() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** @return true if the address is a loopback one, so that no other host can reach the API */
    boolean loopbackOnly() {
        String a = address.toLowerCase(Locale.ROOT);
        if (a.equals("localhost")) {
            return true;
        }
        if (a.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(a).isLoopbackAddress(); // an IPv6 literal: never looked up
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return IPV4.matcher(a).matches() && a.startsWith("127.");
    }

    /**
     * @return a warning when hosts other than this one can reach the listener without TLS or
     *         without a token, or empty when the listener is on loopback or has both
     */
    Optional<String> exposure() {
        boolean noToken = token.isEmpty();
        if (loopbackOnly() || (tls() && !noToken)) {
            return Optional.empty();
        }
        String where = "REST API on " + hostPort() + " is reachable from other hosts ";
        if (!tls() && noToken) {
            return Optional.of(where + "without TLS and without a token: only clients on this host are served;"
                    + " set tls.keystore and a token of at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (!tls()) {
            return Optional.of(where + "without TLS: the bearer token and the channels cross the network in clear;"
                    + " set tls.keystore");
        }
        return Optional.of(where + "without a token: only clients on this host are served; set a token of at least "
                + MIN_TOKEN_LENGTH + " characters");
    }

    /** @return true when the same listener serves both: only the token differs */
    boolean sameListener(HttpSettings other) {
        return address.equals(other.address) && port == other.port && tlsKeystore.equals(other.tlsKeystore)
                && tlsPassword.equals(other.tlsPassword);
    }

    /** Never shows the token or the password. */
    @Override
    public String toString() {
        return "HttpSettings[" + url() + ", token " + (token.isEmpty() ? "none" : "set")
                + (tls() ? ", keystore " + tlsKeystore : "") + "]";
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
