package relay.karaf;

import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel as {@code relay:allocate} prints it at the console or the REST API returns it:
 * its id, and the host and the two ports the parties send to (Jingle Nodes' localport for
 * the requester, remoteport for the other party).
 */
record AllocatedChannel(String id, String host, int localport, int remoteport) {

    static AllocatedChannel parse(String consoleOutput) {
        if (!consoleOutput.contains("Allocated channel")) {
            throw new AssertionError("relay:allocate did not allocate:\n" + consoleOutput);
        }
        return new AllocatedChannel(field(consoleOutput, "id"), field(consoleOutput, "host"),
                Integer.parseInt(field(consoleOutput, "localport")), Integer.parseInt(field(consoleOutput, "remoteport")));
    }

    /** A channel as the REST API returns it: {@code {"id": ..., "host": ..., "portA": ..., "portB": ...}}. */
    static AllocatedChannel fromJson(String json) {
        return new AllocatedChannel(jsonField(json, "id"), jsonField(json, "host"),
                Integer.parseInt(jsonField(json, "portA")), Integer.parseInt(jsonField(json, "portB")));
    }

    private static String jsonField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}\\s]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("No " + name + " in:\n" + json);
        }
        return m.group(1);
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
