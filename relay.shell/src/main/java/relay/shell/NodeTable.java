package relay.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import relay.api.cluster.ClusterNode;

/**
 * {@code relay:nodes} as a person reads it: one aligned line per live node (a {@code *} before
 * this one), then a count and whether the shared store answers; one line for a node alone.
 */
final class NodeTable {

    private NodeTable() {
    }

    static String render(NodeList nodes, Instant now) {
        if (nodes.alone()) {
            return Messages.alone() + "\n";
        }
        Table table = Table.of("", "ID", "PUBLIC ADDRESS", "REST URL", ">LIVE", ">FREE PORTS", ">CAPACITY", ">BUSY",
                ">HEARTBEAT AGE");
        for (ClusterNode n : nodes) {
            table.row(n.local() ? "*" : "", n.id(), n.publicAddress(), n.restUrl() == null ? "-" : n.restUrl(),
                    Units.count(n.liveChannels()), Units.count(n.freePorts()), Units.count(n.capacity()),
                    busy(n.busyRatio()), Units.duration(Duration.between(n.heartbeat(), now)));
        }
        String store = nodes.available() ? "the shared store answers"
                : "the shared store does not answer: this node's own view only";
        return table + Units.count(nodes.size(), "live node", "live nodes") + "; " + store + "\n";
    }

    /** {@code 3 live nodes, this one a}. */
    static String line(NodeList nodes) {
        if (nodes.alone()) {
            return Messages.alone();
        }
        return Units.count(nodes.size(), "live node", "live nodes") + ", this one " + nodes.local();
    }

    /** The busiest I/O loop's share of time, in whole percent: {@code 37%}, or {@code -} if unknown. */
    static String busy(double ratio) {
        if (!Double.isFinite(ratio) || ratio < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f%%", Math.min(1, ratio) * 100);
    }
}
