package relay.xmpp;

import relay.api.BareJid;

/**
 * A checked configuration of PID {@code relay.xmpp}. {@link #from} throws an
 * {@link IllegalArgumentException} whose message is the one log line that names the key and the
 * value it refuses; the secret is named by its key only.
 *
 * @param host the server's host
 * @param port its component port
 * @param domain the component's domain (its JID)
 * @param secret the shared secret
 * @param reconnectSeconds the delay between attempts
 */
record XmppSettings(String host, int port, String domain, String secret, int reconnectSeconds) {

    static XmppSettings from(XmppConfig c) {
        String host = text(c.host()).trim();
        if (host.isEmpty() || host.chars().anyMatch(ch -> ch <= ' ')) {
            throw new IllegalArgumentException("relay.xmpp: host = '" + host + "' is not a host name or address");
        }
        int port = number("port", c.port(), 1, 65535);
        String domain = text(c.domain()).trim();
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("relay.xmpp: domain is not set (the component's JID, e.g. relay.example.com)");
        }
        String normal;
        try {
            normal = BareJid.parse("x@" + domain).domain();
        } catch (IllegalArgumentException e) {
            normal = null;
        }
        if (normal == null || domain.contains("@") || domain.contains("/")) {
            throw new IllegalArgumentException("relay.xmpp: domain = '" + domain + "' is not a domain");
        }
        String secret = text(c.secret());
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("relay.xmpp: secret is not set (the component's shared secret)");
        }
        int reconnect = number("reconnect.seconds", c.reconnect_seconds(), 1, 3600);
        return new XmppSettings(host, port, normal, secret, reconnect);
    }

    /** @return true if a link with these settings reaches another server or authenticates otherwise */
    boolean linkDiffers(XmppSettings o) {
        return o == null || !host.equals(o.host) || port != o.port || !domain.equals(o.domain) || !secret.equals(o.secret);
    }

    private static String text(String v) {
        return v == null ? "" : v;
    }

    static int number(String key, String raw, int min, int max) {
        String t = text(raw).trim();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("relay.xmpp: " + key + " = '" + t + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("relay.xmpp: " + key + " = '" + t + "' is out of range " + min + ".." + max);
        }
        return (int) v;
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "server " + host + ":" + port + ", domain " + domain + ", reconnect every " + reconnectSeconds + " s";
    }
}
