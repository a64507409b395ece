package relay.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import relay.api.Addresses;

/**
 * The validated configuration of PID {@code relay.core}. {@link #from} refuses an invalid
 * configuration with an {@link IllegalArgumentException} naming the key and the value, so the
 * caller can keep the previous one in force.
 */
record CoreConfig(InetAddress bindAddress, String publicAddress, int portMin, int portMax, boolean rtcp,
        int idleTimeoutSeconds, int maxChannels, Latching latching, boolean latchConnect, int handoverQuietMs, int ioThreads, int coalesceMicros, String ioEngine,
        List<String> requiredPolicies, int scanGuardPorts, int scanGuardSeconds, List<AddressPrefix> scanGuardExempt,
        int listenerQueue, int maxKbps, int maxPps, InetAddress bindAddress6, String publicAddress6) {

    enum Latching { STRICT, HANDOVER }

    /** Checks what the type cannot: ranges, options, an address of this host. */
    static CoreConfig from(RelayCoreConfig c) {
        InetAddress bind = localAddress("bind.address", text("bind.address", c::bind_address));
        int portMin = integer("port.min", c::port_min, 1, 65535);
        int portMax = integer("port.max", c::port_max, 1, 65535);
        if (portMin > portMax) {
            throw new IllegalArgumentException("port.min (" + portMin + ") is greater than port.max (" + portMax + ")");
        }
        boolean rtcp = flag("rtcp", c::rtcp);
        if (rtcp && (portMax - (portMin + (portMin & 1))) < 1) {
            throw new IllegalArgumentException("port.min/port.max " + portMin + ".." + portMax
                    + " holds no even/odd RTP/RTCP pair (rtcp=true)");
        }
        Latching latching = switch (option("latching", c::latching)) {
            case "strict" -> Latching.STRICT;
            case "handover" -> Latching.HANDOVER;
            default -> throw bad("latching", c.latching(), "must be strict or handover");
        };
        String publicAddress = text("public.address", c::public_address).trim();
        if (!publicAddress.isEmpty()) {
            resolvable("public.address", publicAddress);
            if (publicAddress.contains(":")) { // an IPv6 literal: handed out in its RFC 5952 form
                publicAddress = Addresses.host(literal(publicAddress));
            }
        }
        int threads = integer("io.threads", c::io_threads, 0, 1024);
        String bind6Text = text("bind.address6", c::bind_address6).trim();
        InetAddress bind6 = null;
        String public6 = null;
        if (!bind6Text.isEmpty()) {
            bind6 = localAddress("bind.address6", bind6Text);
            if (!(bind6 instanceof java.net.Inet6Address) || bind6.isAnyLocalAddress()) {
                throw bad("bind.address6", bind6Text, "must be one IPv6 address of this host (bind.address = :: serves both)");
            }
            public6 = text("public.address6", c::public_address6).trim();
            if (public6.isEmpty()) {
                public6 = Addresses.host(bind6);
            } else {
                resolvable("public.address6", public6);
                if (public6.contains(":")) {
                    public6 = Addresses.host(literal(public6));
                }
            }
        }
        return new CoreConfig(bind, publicAddress.isEmpty() ? defaultPublicAddress(bind) : publicAddress,
                portMin, portMax, rtcp,
                integer("idle.timeout", c::idle_timeout, 1, Integer.MAX_VALUE),
                integer("max.channels", c::max_channels, 0, Integer.MAX_VALUE),
                latching,
                flag("latch.connect", c::latch_connect),
                integer("handover.quiet.ms", c::handover_quiet_ms, 100, Integer.MAX_VALUE),
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                integer("io.coalesce.us", c::io_coalesce_us, 0, 1000),
                engine(c),
                names("required.policies", c.required_policies()),
                integer("scan.guard.ports", c::scan_guard_ports, 0, Integer.MAX_VALUE),
                integer("scan.guard.seconds", c::scan_guard_seconds, 1, Integer.MAX_VALUE),
                prefixes("scan.guard.exempt", c.scan_guard_exempt()),
                integer("listener.queue", c::listener_queue, 1, 10_000_000),
                integer("max.kbps", c::max_kbps, 0, Integer.MAX_VALUE),
                integer("max.pps", c::max_pps, 0, Integer.MAX_VALUE),
                bind6, public6);
    }

    /** {@code auto} becomes the engine that runs here; an explicit {@code ffm} this JVM cannot run is refused. */
    private static String engine(RelayCoreConfig c) {
        String configured = option("io.engine", c::io_engine);
        try {
            return IoEngines.resolve(configured);
        } catch (IllegalArgumentException e) {
            throw bad("io.engine", c.io_engine(), e.getMessage());
        }
    }

    private static boolean flag(String key, Supplier<String> value) {
        return switch (option(key, value)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, value.get(), "must be true or false");
        };
    }

    /** A list may come as one comma-separated text (a .cfg file) or as several values: both read the same. */
    private static List<String> names(String key, String[] values) {
        List<String> out = new ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            for (String item : v.split(",")) {
                if (!item.isBlank()) {
                    out.add(item.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<AddressPrefix> prefixes(String key, String[] values) {
        List<AddressPrefix> out = new ArrayList<>();
        for (String item : names(key, values)) {
            try {
                out.add(AddressPrefix.parse(item));
            } catch (IllegalArgumentException e) {
                throw bad(key, item, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static InetAddress literal(String ipv6) {
        try {
            return InetAddress.getByName(ipv6);
        } catch (UnknownHostException e) {
            throw bad("public.address", ipv6, "not an IPv6 address"); // resolvable() said it was
        }
    }

    /** An address literal, or a name this host can resolve: what clients are told must lead somewhere. */
    private static void resolvable(String key, String value) {
        if (!value.matches("[A-Za-z0-9.:\\[\\]%-]+")) {
            throw bad(key, value, "not an IP address or a host name");
        }
        try {
            InetAddress.getByName(value);
        } catch (UnknownHostException | SecurityException e) {
            throw bad(key, value, "not an IP address, and no address is known for that name");
        }
    }

    String describe() {
        return "bind " + Addresses.host(bindAddress) + ", public " + publicAddress + ", ports " + portMin + ".."
                + portMax + (rtcp ? " (RTP+RTCP)" : " (RTP only)") + ", idle.timeout " + idleTimeoutSeconds
                + " s, max.channels " + maxChannels + ", latching " + latching.name().toLowerCase(Locale.ROOT)
                + ", io.threads " + ioThreads + ", io.coalesce.us " + coalesceMicros + ", io.engine " + ioEngine
                + (requiredPolicies.isEmpty() ? "" : ", required.policies " + String.join(", ", requiredPolicies))
                + ", scan.guard " + (scanGuardPorts == 0 ? "off" : scanGuardPorts + " ports/10 s, " + scanGuardSeconds + " s"
                        + (scanGuardExempt.isEmpty() ? "" : ", exempt " + scanGuardExempt.stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(", "))))
                + ", listener.queue " + listenerQueue
                + (maxKbps == 0 && maxPps == 0 ? "" : ", caps " + maxKbps + " kbps / " + maxPps + " pps per side");
    }

    /** Whether the port pool must be laid out again. */
    boolean samePorts(CoreConfig o) {
        return bindAddress.equals(o.bindAddress) && portMin == o.portMin && portMax == o.portMax && rtcp == o.rtcp;
    }

    /** The bind address, unless it is the wildcard; then the first non-loopback address of this host. */
    private static String defaultPublicAddress(InetAddress bind) {
        if (!bind.isAnyLocalAddress()) {
            return Addresses.host(bind);
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return Addresses.host(a);
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return Addresses.host(InetAddress.getLoopbackAddress());
    }

    // Numbers arrive as text (see RelayCoreConfig): spaces around them are fine, anything else is refused.

    private static int integer(String key, Supplier<String> read, int min, int max) {
        String text = text(key, read).strip();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw bad(key, text, "not a whole number");
        }
        if (value < min || value > max) {
            throw bad(key, text, "must be between " + min + " and " + max);
        }
        return (int) value;
    }

    private static String text(String key, Supplier<String> read) {
        try {
            String s = read.get();
            return s == null ? "" : s;
        } catch (RuntimeException e) { // DS could not even make text of it
            throw bad(key, "?", String.valueOf(e.getMessage()));
        }
    }

    private static String option(String key, Supplier<String> read) {
        return text(key, read).trim().toLowerCase(Locale.ROOT);
    }

    private static InetAddress localAddress(String key, String value) {
        String s = value.trim();
        if (s.isEmpty()) {
            throw bad(key, s, "an address is required (0.0.0.0 for every address of this host)");
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
