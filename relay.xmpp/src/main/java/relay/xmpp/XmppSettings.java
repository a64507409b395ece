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
 * @param pingSeconds the quiet after which the link pings the server, 0 for never
 * @param pingTimeoutSeconds the silence after a ping that declares the link dead
 */
record XmppSettings(String host, int port, String domain, String secret, int reconnectSeconds, int pingSeconds,
        int pingTimeoutSeconds) {

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
        int ping = number("ping.seconds", c.ping_seconds(), 0, 3600);
        int pingTimeout = number("ping.timeout.seconds", c.ping_timeout_seconds(), 1, 3600);
        return new XmppSettings(host, port, normal, secret, reconnect, ping, pingTimeout);
    }

    /**
     * @return where the link's pings go: the server's own domain, taken as the component's domain
     *         less its first label ({@code relay.example.com}: {@code example.com}), which is how
     *         servers name their components; Prosody answers a ping to its host from a component,
     *         while the address the link connects to is no XMPP domain at all. A domain of one
     *         label pings itself, through the server and back, which proves the link as well.
     */
    String serverDomain() {
        int dot = domain.indexOf('.');
        return dot < 0 ? domain : domain.substring(dot + 1);
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
        return "server " + host + ":" + port + ", domain " + domain + ", reconnect every " + reconnectSeconds + " s, "
                + (pingSeconds == 0 ? "ping off"
                        : "ping after " + pingSeconds + " s of quiet, dead " + pingTimeoutSeconds + " s later");
    }
}
