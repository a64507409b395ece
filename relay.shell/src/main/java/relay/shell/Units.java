package relay.shell;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import relay.api.Addresses;

/** Human units for the shell: byte sizes, counts, durations, instants, addresses, counts by reason. */
final class Units {

    private static final String[] BYTE_UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Units() {
    }

    /**
     * Decimal (SI) units, three significant digits at most: {@code 999 B}, {@code 1.2 kB},
     * {@code 12.3 MB}, {@code 123 GB}.
     */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        double value = n;
        for (String unit : BYTE_UNITS) {
            value /= 1000;
            // Pick the unit after rounding, so 999,999 B reads 1.0 MB and never 1000 kB.
            if (value < 99.95) {
                return String.format(Locale.ROOT, "%.1f %s", value, unit);
            }
            if (value < 999.5) {
                return String.format(Locale.ROOT, "%.0f %s", value, unit);
            }
        }
        throw new AssertionError("a long has fewer than 10^21 bytes");
    }

    /** A count with thousands separators: {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A count and a noun in singular or plural: {@code 1 channel}, {@code 3 channels}. */
    static String count(long n, String singular, String plural) {
        return count(n) + " " + (n == 1 ? singular : plural);
    }

    /**
     * The two largest units, the second zero-padded so columns line up: {@code 42s},
     * {@code 3m 05s}, {@code 2h 03m}, {@code 4d 07h}. Sub-second rests are dropped; a negative
     * duration (clock skew) reads {@code 0s}.
     */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86400, s % 86400 / 3600);
    }

    /** Time from {@code from} to {@code now}, as {@link #duration(Duration)}. */
    static String since(Instant from, Instant now) {
        return duration(Duration.between(from, now));
    }

    /** {@code 2025-11-22 05:02:11 UTC}: whole seconds, always UTC so that logs of any host compare. */
    static String instant(Instant t) {
        return INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code 127.0.0.1:40000}, {@code [::1]:40000}, or {@code -} for no address. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return "-";
        }
        return a.getAddress() != null ? Addresses.endpoint(a) : hostPort(a.getHostString(), a.getPort());
    }

    /** {@code host:port}, brackets added to a bare IPv6 literal. */
    static String hostPort(String host, int port) {
        boolean bareV6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (bareV6 ? "[" + host + "]" : host) + ":" + port;
    }

    /** An enum constant for people: {@code PORTS_EXHAUSTED} reads {@code ports exhausted}. */
    static String reason(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * Every reason of an enum in declaration order with its count, zeros included so the
     * line always has the same shape: {@code requested 4, expired 5, revoked 0, shutdown 0}.
     */
    static <E extends Enum<E>> String byReason(Map<E, Long> counts, Class<E> type) {
        StringJoiner line = new StringJoiner(", ");
        for (E e : type.getEnumConstants()) {
            line.add(reason(e) + " " + count(counts.getOrDefault(e, 0L)));
        }
        return line.toString();
    }

    /** Only the reasons that occurred, or {@code -}: {@code not latched 3, loop 1}. */
    static <E extends Enum<E>> String nonZeroByReason(Map<E, Long> counts, Class<E> type) {
        StringJoiner line = new StringJoiner(", ");
        line.setEmptyValue("-");
        for (E e : type.getEnumConstants()) {
            long n = counts.getOrDefault(e, 0L);
            if (n != 0) {
                line.add(reason(e) + " " + count(n));
            }
        }
        return line.toString();
    }

    /** The sum of a map of counts. */
    static long total(Map<?, Long> counts) {
        long sum = 0;
        for (long n : counts.values()) {
            sum += n;
        }
        return sum;
    }

    /** {@code yes} or {@code no}. */
    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /**
     * Text from elsewhere (a policy's message, a typed id) made safe for one line of output:
     * line breaks and control characters become spaces, and very long text is cut.
     */
    static String oneLine(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 3));
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > max) {
            sb.append("...");
        }
        return sb.toString().strip();
    }
}
