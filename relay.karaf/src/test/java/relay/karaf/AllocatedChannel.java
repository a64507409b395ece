package relay.karaf;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel as {@code relay:allocate} prints it at the console: its id, and the host and the
 * two ports the parties send to (Jingle Nodes' localport for the requester, remoteport for
 * the other party).
 */
record AllocatedChannel(String id, String host, int localport, int remoteport) {

    static AllocatedChannel parse(String consoleOutput) {
        if (!consoleOutput.contains("Allocated channel")) {
            throw new AssertionError("relay:allocate did not allocate:\n" + consoleOutput);
        }
        return new AllocatedChannel(field(consoleOutput, "id"), field(consoleOutput, "host"),
                Integer.parseInt(field(consoleOutput, "localport")), Integer.parseInt(field(consoleOutput, "remoteport")));
    }

    private static String field(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\S+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("No " + name + " in:\n" + text);
        }
        return m.group(1);
    }

    InetSocketAddress sideA() {
        return new InetSocketAddress(host, localport);
    }

    InetSocketAddress sideB() {
        return new InetSocketAddress(host, remoteport);
    }
}
