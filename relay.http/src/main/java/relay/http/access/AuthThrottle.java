package relay.http.access;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Slows down token guessing: {@value #MAX_FAILURES} wrong tokens from one client within a
 * minute shut that client out for a minute. A client is an IPv4 address, or an IPv6 /64 network
 * (what one host is usually given). At most {@value #MAX_CLIENTS} clients are followed at once;
 * those whose failures are all older than a minute are forgotten first. Thread safe.
 */
final class AuthThrottle {

    static final int MAX_FAILURES = 10;
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final long LOCK_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_CLIENTS = 10_000;

    private final LongSupplier nanoClock;
    private final Map<Key, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    /** @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime} in production) */
    AuthThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * @param remote the client's address, or null if unknown
     * @return the seconds the client is still shut out for, rounded up, or 0 if it may try
     */
    long lockedSeconds(InetAddress remote) {
        if (remote == null) {
            return 0;
        }
        Client c = clients.get(Key.of(remote));
        if (c == null) {
            return 0;
        }
        long left;
        synchronized (c) {
            left = c.lockedUntil - nanoClock.getAsLong();
        }
        return left <= 0 ? 0 : (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }

    /**
     * Counts a wrong token.
     *
     * @param remote the client's address, or null if unknown (counted, not followed)
     * @return true if this failure shuts the client out
     */
    boolean failed(InetAddress remote) {
        failures.incrementAndGet();
        if (remote == null) {
            return false;
        }
        long now = nanoClock.getAsLong();
        Key key = Key.of(remote);
        Client c = clients.get(key);
        if (c == null) {
            if (clients.size() >= MAX_CLIENTS) {
                forgetQuiet(now);
                if (clients.size() >= MAX_CLIENTS) {
                    return false; // followed no further: the token's length is the defence then
                }
            }
            c = clients.computeIfAbsent(key, k -> new Client());
        }
        synchronized (c) {
            if (c.lockedUntil - now > 0) {
                return false;
            }
            while (!c.times.isEmpty() && now - c.times.peekFirst() >= WINDOW_NANOS) {
                c.times.pollFirst();
            }
            c.times.addLast(now);
            if (c.times.size() < MAX_FAILURES) {
                return false;
            }
            c.times.clear();
            c.lockedUntil = now + LOCK_NANOS;
            return true;
        }
    }

    /** @return wrong tokens since the API started */
    long failures() {
        return failures.get();
    }

    private void forgetQuiet(long now) {
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext();) {
            Client c = it.next();
            synchronized (c) {
                boolean locked = c.lockedUntil - now > 0;
                boolean recent = !c.times.isEmpty() && now - c.times.peekLast() < WINDOW_NANOS;
                if (!locked && !recent) {
                    it.remove();
                }
            }
        }
    }

    /** A client's recent failures and, once shut out, until when. */
    private static final class Client {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        long lockedUntil = Long.MIN_VALUE / 2;
    }

    /** An IPv4 address, or the first 64 bits of an IPv6 address. */
    private record Key(byte[] bytes) {

        static Key of(InetAddress address) {
            byte[] b = address.getAddress();
            return new Key(address instanceof Inet6Address ? Arrays.copyOf(b, 8) : b);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return Arrays.toString(bytes);
        }
    }
}
