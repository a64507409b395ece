package relay.signal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The REST API's access rules of relay.http, applied to {@code /signal/*} with relay.http's own
 * token (PID {@code relay.http}, key {@code token}): without a token, clients on this host only
 * and a loopback {@code Host}; with one, {@code Authorization: Bearer <token>}, compared in
 * constant time; ten wrong tokens from one client (an IPv4 address or an IPv6 /64) within a minute
 * shut it out for a minute (429).
 */
final class Access {

    static final int MAX_FAILURES = 10;
    private static final long MINUTE = 60_000_000_000L;
    private static final int MAX_CLIENTS = 10_000;

    /** A refusal: status, error code, message, and seconds to wait (or 0). */
    record Refusal(int status, String error, String message, long retryAfter) {
    }

    private final LongSupplier nanos;
    private volatile byte[] token = new byte[0];
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_CLIENTS;
        }
    };
    private final Map<String, Long> lockedUntil = new LinkedHashMap<>();

    Access(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** @param raw relay.http's token as configured: taken if valid (16+ printable ASCII), else the previous stays */
    void useToken(Object raw) {
        String t = raw == null ? "" : raw.toString().trim();
        if (t.isEmpty()) {
            token = new byte[0];
        } else if (t.length() >= 16 && t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            token = t.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** @return null if the request may go on, else why not */
    synchronized Refusal check(InetAddress remote, String host, String authorization) {
        String client = client(remote);
        long now = nanos.getAsLong();
        Long until = lockedUntil.get(client);
        if (until != null) {
            if (now < until) {
                long s = (until - now + 999_999_999L) / 1_000_000_000L;
                return new Refusal(429, "too_many_requests", "too many wrong tokens from this address; try again in " + s
                        + " s", s);
            }
            lockedUntil.remove(client);
        }
        byte[] expected = token;
        if (expected.length == 0) {
            if (remote == null || !remote.isLoopbackAddress()) {
                return new Refusal(401, "unauthorized", "this relay has no API token, so only clients on this host may"
                        + " use the API", 0);
            }
            if (!loopbackHost(host)) {
                return new Refusal(403, "forbidden_host", "this relay has no API token, so it answers requests for"
                        + " localhost, 127.0.0.1 or [::1] only", 0);
            }
            return null;
        }
        if (authorization == null) {
            return new Refusal(401, "unauthorized", "send the API token as 'Authorization: Bearer <token>'", 0);
        }
        byte[] presented = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (MessageDigest.isEqual(expected, presented)) {
            return null;
        }
        Deque<Long> times = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && now - times.peekFirst() > MINUTE) {
            times.removeFirst();
        }
        if (times.size() >= MAX_FAILURES) {
            failures.remove(client);
            lockedUntil.put(client, now + MINUTE);
        }
        return new Refusal(401, "unauthorized", "the bearer token is wrong", 0);
    }

    private static String client(InetAddress a) {
        if (a == null) {
            return "?";
        }
        byte[] b = a.getAddress();
        if (b.length == 16) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                s.append(String.format("%02x", b[i]));
            }
            return s + "/64";
        }
        return a.getHostAddress();
    }

    /** @return whether a {@code Host} header names this host's loopback; a name is never looked up */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            String literal = h.substring(1, close);
            String rest = h.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return false;
            }
            if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return false;
            }
            try {
                return InetAddress.getByName(literal).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!h.substring(colon).matches(":\\d{1,5}")) {
                return false;
            }
            h = h.substring(0, colon);
        }
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        String[] octets = h.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }
}
