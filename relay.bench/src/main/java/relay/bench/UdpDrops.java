package relay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where datagrams were lost: the kernel counts, per UDP socket, the datagrams it dropped because
 * the socket's receive queue was full ({@code drops}, last column of {@code /proc/net/udp} and
 * {@code /proc/net/udp6}). Summed over the relay's ports, they are loss the relay caused by
 * reading too slowly; over the generator's ports, loss that is not the relay's fault.
 */
final class UdpDrops {

    private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};

    private UdpDrops() {
    }

    /** Drops so far of the sockets bound to any of {@code ports}; -1 if the tables cannot be read. */
    static long of(Set<Integer> ports) {
        long sum = 0;
        try {
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    sum += sum(Files.readString(table, StandardCharsets.US_ASCII), ports);
                }
            }
            return sum;
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * Bytes waiting in the receive queues of the sockets bound to any of {@code ports} (the
     * {@code rx_queue} column): what the relay has yet to read. -1 if the tables cannot be read.
     */
    static long queued(Set<Integer> ports) {
        long sum = 0;
        try {
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    sum += queuedSum(Files.readString(table, StandardCharsets.US_ASCII), ports);
                }
            }
            return sum;
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** Sums the {@code rx_queue} of the rows of a {@code /proc/net/udp[6]} table whose local port is in {@code ports}. */
    static long queuedSum(String table, Set<Integer> ports) {
        long sum = 0;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            if (ports.contains(port(f[1]))) {
                String queues = f[4];                          // tx_queue:rx_queue, hexadecimal
                int colon = queues.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("no rx_queue in " + queues);
                }
                sum += Long.parseLong(queues.substring(colon + 1), 16);
            }
        }
        return sum;
    }

    private static int port(String local) {
        int colon = local.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no port in local address " + local);
        }
        return Integer.parseInt(local.substring(colon + 1), 16);
    }

    /** Sums the drops column of the rows of a {@code /proc/net/udp[6]} table whose local port is in {@code ports}. */
    static long sum(String table, Set<Integer> ports) {
        long sum = 0;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {               // line 0 is the header
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            if (ports.contains(port(f[1]))) {
                sum += Long.parseLong(f[f.length - 1]);
            }
        }
        return sum;
    }
}
