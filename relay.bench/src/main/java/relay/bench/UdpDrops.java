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

    /** Sums the drops column of the rows of a {@code /proc/net/udp[6]} table whose local port is in {@code ports}. */
    static long sum(String table, Set<Integer> ports) {
        long sum = 0;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {               // line 0 is the header
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            String local = f[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no port in local address " + local);
            }
            if (ports.contains(Integer.parseInt(local.substring(colon + 1), 16))) {
                sum += Long.parseLong(f[f.length - 1]);
            }
        }
        return sum;
    }
}
