package relay.cluster;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import relay.api.RelayStats;
import relay.api.cluster.ClusterNode;

/** A node's record in Redis: what it publishes every heartbeat, and how it is read back. */
final class NodeRecord {

    private NodeRecord() {
    }

    static Map<String, String> write(String publicAddress, String restUrl, RelayStats stats, Instant now) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("publicAddress", publicAddress);
        r.put("restUrl", restUrl);
        r.put("liveChannels", Integer.toString(stats.liveChannels()));
        r.put("freePorts", Integer.toString(stats.portsFree()));
        r.put("capacity", Integer.toString(stats.effectiveCapacity()));
        double busy = 0;
        for (double loop : stats.ioLoopBusy()) {
            busy = Math.max(busy, loop);
        }
        r.put("busyRatio", Double.toString(busy));
        r.put("heartbeat", Long.toString(now.toEpochMilli()));
        return r;
    }

    /**
     * @param liveChannels the node's channels as the directory counts them (fresher than its record)
     * @param localId the id of the node that reads
     */
    static ClusterNode read(String id, Map<String, String> r, int liveChannels, String localId) {
        String rest = r.getOrDefault("restUrl", "");
        return ClusterNode.builder().id(id).publicAddress(r.getOrDefault("publicAddress", ""))
                .restUrl(rest.isEmpty() ? null : URI.create(rest)).liveChannels(liveChannels)
                .freePorts(intOf(r.get("freePorts"))).capacity(intOf(r.get("capacity")))
                .busyRatio(doubleOf(r.get("busyRatio"))).heartbeat(Instant.ofEpochMilli(longOf(r.get("heartbeat"))))
                .local(id.equals(localId)).build();
    }

    private static int intOf(String s) {
        return (int) longOf(s);
    }

    private static long longOf(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double doubleOf(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
