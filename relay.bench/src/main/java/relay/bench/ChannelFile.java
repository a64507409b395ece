package relay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Channels that some other relay already opened, one {@code portA portB} line each on 127.0.0.1
 * ('#' starts a comment): the format the shell bench's adapters print, so the generator can
 * drive any relay, the C references included.
 */
final class ChannelFile {

    private ChannelFile() {
    }

    static List<RelayClient.Channel> read(Path file, int n) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), n, file.toString());
    }

    static List<RelayClient.Channel> parse(List<String> lines, int n, String name) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<RelayClient.Channel> channels = new ArrayList<>(n);
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (channels.size() == n) {
                break;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": wants 'portA portB', not '" + raw + "'");
            }
            channels.add(new RelayClient.Channel(name + ":" + lineNo,
                    new InetSocketAddress(loopback, port(f[0], name, lineNo)),
                    new InetSocketAddress(loopback, port(f[1], name, lineNo))));
        }
        if (channels.size() < n) {
            throw new IllegalArgumentException(name + " holds " + channels.size() + " channels, not the " + n
                    + " of --flows");
        }
        return channels;
    }

    private static int port(String s, String name, int lineNo) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ":" + lineNo + ": '" + s + "' is not a port");
    }
}
