package relay.core;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The addresses of this host, for the loop guard: a set read by the I/O loops without a lock
 * or a system call, refreshed by the conductor when the configuration changes and on a timer
 * (interfaces come and go).
 */
final class LocalAddresses {

    private volatile Set<InetAddress> addresses = Set.of();

    /** Conductor: reads the interfaces again; {@code bind} counts as local whatever they say. */
    void refresh(InetAddress bind) {
        Set<InetAddress> found = new HashSet<>();
        found.add(bind);
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            // keep what the bind address and loopback say
        }
        addresses = Set.copyOf(found);
    }

    /** Any thread; no allocation, no lock. */
    boolean contains(InetAddress a) {
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || addresses.contains(a);
    }
}
