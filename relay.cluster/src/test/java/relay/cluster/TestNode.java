package relay.cluster;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.core.RelayCore;
import relay.core.RelayCoreConfig;
import relay.policy.quota.QuotaConfig;
import relay.policy.quota.QuotaPolicy;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * One relay node in this JVM, wired as DS wires the bundles: the real relay core on loopback
 * ports of its own, the real quota policy and the cluster component on a real Redis.
 */
final class TestNode implements AutoCloseable {

    final String id;
    final RelayCore core = new RelayCore();
    final QuotaPolicy quota = new QuotaPolicy();
    final CapturedLog log;
    final ClusterNodeComponent cluster;

    TestNode(String id, int portMin, URI redis, String prefix, Map<String, Object> quotaConfig,
            Map<String, Object> clusterConfig) {
        this.id = id;
        core.activate(ComponentConfig.of(RelayCoreConfig.class, Map.of("bind.address", "127.0.0.1",
                "public.address", "127.0.0.1", "port.min", portMin, "port.max", portMin + 199, "io.threads", 1,
                "scan.guard.ports", 0)));
        quota.activate(ComponentConfig.of(QuotaConfig.class, quotaConfig));
        log = new CapturedLog("relay.cluster." + id);
        cluster = new ClusterNodeComponent(core, null, log.logger());
        cluster.activate(ComponentConfig.of(ClusterConfig.class, config(id, redis, prefix, clusterConfig)));
        core.bindPolicy(quota, Map.of("service.id", 1L));
        core.bindPolicy(cluster, Map.of("service.id", 2L, "service.ranking", -1000));
        core.bindListener(cluster);
        quota.bindSharedQuota(cluster);
    }

    static Map<String, Object> config(String id, URI redis, String prefix, Map<String, Object> more) {
        Map<String, Object> c = new HashMap<>(Map.of("redis.uri", redis.toString(), "node.id", id, "key.prefix", prefix,
                "heartbeat.seconds", 1, "rest.url", "http://127.0.0.1:1/" + id, "public.address", "127.0.0.1"));
        c.putAll(more);
        return c;
    }

    RelayChannel allocate(String user) throws RelayDeniedException {
        return core.allocate(ChannelRequest.of(BareJid.parse(user), "test"));
    }

    @Override
    public void close() {
        try {
            cluster.deactivate();
        } catch (RuntimeException e) {
            // crashed already
        }
        core.deactivate();
        log.close();
    }
}
