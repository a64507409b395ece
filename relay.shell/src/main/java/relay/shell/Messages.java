package relay.shell;

import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.Side;

/** The one-line sentences of the shell: confirmations and refusals. */
final class Messages {

    /** Longest piece of typed text (an id, a mode) quoted back. */
    private static final int QUOTE_MAX = 80;
    /** Longest message from elsewhere (a policy, the JID parser) repeated in a line. */
    private static final int MESSAGE_MAX = 300;

    private Messages() {
    }

    static String destroyed(Destruction d) {
        RelayChannel c = d.channel();
        long packets = c.aToB().packets() + c.bToA().packets();
        long bytes = c.aToB().bytes() + c.bToA().bytes();
        return "Destroyed channel " + c.id() + " of " + c.owner() + " after " + Units.duration(d.lifetime()) + ": "
                + Units.count(packets, "datagram", "datagrams") + ", " + Units.bytes(bytes) + " forwarded.";
    }

    static String drain(DrainMode m) {
        if (!m.draining()) {
            return "Drain mode is off: new channels are allowed.";
        }
        return "Drain mode is on: no new channels; " + Units.count(m.liveChannels(), "live channel runs", "live channels run")
                + " to the end.";
    }

    static String noSuchChannel(String id) {
        return "No channel with id '" + Units.oneLine(id, QUOTE_MAX) + "'.";
    }

    static String denied(RelayDeniedException e) {
        String who = e.policy() != null ? "by policy " + Units.oneLine(e.policy(), QUOTE_MAX)
                : "(" + Units.reason(e.reason()) + ")";
        String why = e.getMessage() == null ? "" : ": " + sentence(e.getMessage());
        String retry = e.retryAfter() == null ? "" : "; retry in " + Units.duration(e.retryAfter());
        return "Denied " + who + why + retry + ". Nothing was allocated.";
    }

    /** Foreign text as the inside of a sentence: one line, without its own final period. */
    static String sentence(String text) {
        String line = Units.oneLine(text, MESSAGE_MAX);
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    static String invalidPeer(Side side, String why) {
        return "Invalid peer for side " + side + ": " + sentence(String.valueOf(why)) + ". Nothing was allocated.";
    }

    static String invalidFamily(Side side, String family) {
        return "Invalid IP version for side " + side + ": '" + Units.oneLine(family, QUOTE_MAX)
                + "' is neither ipv4 nor ipv6. Nothing was allocated.";
    }

    static String invalidDrainMode(String mode) {
        return "relay:drain takes 'on' or 'off', not '" + Units.oneLine(mode, QUOTE_MAX) + "'.";
    }

    static String alone() {
        return "This node runs alone: no cluster service (the bundle relay.cluster is not installed or not configured).";
    }

    static String unavailable() {
        return "The relay is not running (no RelayService); nothing was done.";
    }

    static String notRunning(String command, String why) {
        return "The relay is not running (" + sentence(String.valueOf(why)) + "); " + command + " did nothing.";
    }

    static String failed(String command, RuntimeException e, boolean logged) {
        return command + " failed: " + Units.oneLine(String.valueOf(e), MESSAGE_MAX) + (logged ? " (details in the log)." : ".");
    }
}
