package relay.core;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * The validated configuration of PID {@code relay.core}. {@link #parse} refuses an invalid
 * configuration with an {@link IllegalArgumentException} naming the key and the value, so the
 * caller can keep the previous one in force.
 */
record CoreConfig(InetAddress bindAddress, String publicAddress, int portMin, int portMax, boolean rtcp,
        int idleTimeoutSeconds, int maxChannels, Latching latching, int handoverQuietMs, int ioThreads) {

    enum Latching { STRICT, HANDOVER }

    static final CoreConfig DEFAULTS = parse(Map.of());

    static CoreConfig parse(Map<String, ?> p) {
        Values v = new Values(p);
        InetAddress bind = v.address("bind.address", "0.0.0.0");
        int portMin = v.integer("port.min", 10000, 1, 65535);
        int portMax = v.integer("port.max", 20000, 1, 65535);
        if (portMin > portMax) {
            throw new IllegalArgumentException("port.min (" + portMin + ") is greater than port.max (" + portMax + ")");
        }
        boolean rtcp = v.bool("rtcp", true);
        if (rtcp && (portMax - (portMin + (portMin & 1))) < 1) {
            throw new IllegalArgumentException("port.min/port.max " + portMin + ".." + portMax
                    + " holds no even/odd RTP/RTCP pair (rtcp=true)");
        }
        String publicAddress = v.string("public.address", "");
        if (publicAddress.isBlank()) {
            publicAddress = defaultPublicAddress(bind);
        }
        return new CoreConfig(bind, publicAddress.trim(), portMin, portMax, rtcp,
                v.integer("idle.timeout", 60, 1, Integer.MAX_VALUE),
                v.integer("max.channels", 10000, 0, Integer.MAX_VALUE),
                v.latching("latching"),
                v.integer("handover.quiet.ms", 2000, 0, Integer.MAX_VALUE),
                v.integer("io.threads", Runtime.getRuntime().availableProcessors(), 1, 1024));
    }

    /** The bind address, unless it is the wildcard; then the first non-loopback address of this host. */
    private static String defaultPublicAddress(InetAddress bind) {
        if (!bind.isAnyLocalAddress()) {
            return bind.getHostAddress();
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** Typed reads of Config Admin values, which arrive as strings (FileInstall) or as typed values. */
    private record Values(Map<String, ?> p) {

        String string(String key, String def) {
            Object o = p.get(key);
            if (o == null) {
                return def;
            }
            if (o instanceof String[] a) {
                return a.length == 0 ? def : a[0];
            }
            return o.toString();
        }

        int integer(String key, int def, int min, int max) {
            Object o = p.get(key);
            if (o == null || (o instanceof String s && s.isBlank())) {
                return def;
            }
            long value;
            if (o instanceof Number n) {
                value = n.longValue();
            } else {
                try {
                    value = Long.parseLong(o.toString().trim());
                } catch (NumberFormatException e) {
                    throw bad(key, o, "not a whole number");
                }
            }
            if (value < min || value > max) {
                throw bad(key, o, "must be between " + min + " and " + max);
            }
            return (int) value;
        }

        boolean bool(String key, boolean def) {
            Object o = p.get(key);
            if (o == null) {
                return def;
            }
            if (o instanceof Boolean b) {
                return b;
            }
            String s = o.toString().trim().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                case "" -> def;
                default -> throw bad(key, o, "must be true or false");
            };
        }

        Latching latching(String key) {
            String s = string(key, "strict").trim().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "strict", "" -> Latching.STRICT;
                case "handover" -> Latching.HANDOVER;
                default -> throw bad(key, s, "must be strict or handover");
            };
        }

        InetAddress address(String key, String def) {
            String s = string(key, def).trim();
            if (s.isEmpty()) {
                s = def;
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                throw bad(key, s, "not an address of this host");
            }
            try {
                if (!a.isAnyLocalAddress() && !a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null) {
                    throw bad(key, s, "not an address of this host");
                }
            } catch (SocketException e) {
                throw bad(key, s, e.getMessage());
            }
            return a;
        }

        private static IllegalArgumentException bad(String key, Object value, String why) {
            return new IllegalArgumentException("invalid " + key + "=" + value + ": " + why);
        }
    }
}
