package relay.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import redis.clients.jedis.exceptions.JedisException;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.api.cluster.Cluster;
import relay.api.cluster.ClusterNode;
import relay.api.spi.ChannelListener;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;
import relay.api.spi.SharedQuota;

/**
 * This node's membership of a cluster on Redis (PID {@code relay.cluster}; without that
 * configuration the component stays off and the node runs alone). It publishes the node every
 * heartbeat, books quotas in Redis for the quota policy ({@link SharedQuota}), keeps the channel
 * directory and answers for the cluster ({@link Cluster}).
 *
 * <p>As policy {@code cluster}, asked last (ranking -1000): while Redis is unreachable it denies
 * new channels ({@code on.redis.down = deny}) or lets the local quota do
 * ({@code local}); live channels never depend on Redis. After each allocation it writes the
 * channel into the directory, on the caller's thread, so that any node can find it once the
 * caller has it. Destructions reach Redis from the {@link ClusterAgent}'s thread. When Redis
 * comes back (or at start), the node rewrites its share of the state from its live channels.
 */
@Component(name = ClusterNodeComponent.PID, configurationPid = ClusterNodeComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {Cluster.class, SharedQuota.class, RelayPolicy.class, ChannelListener.class},
        property = "service.ranking:Integer=-1000")
@Designate(ocd = ClusterConfig.class)
public class ClusterNodeComponent implements Cluster, SharedQuota, RelayPolicy, ChannelListener {

    /** The component name and configuration PID. */
    public static final String PID = "relay.cluster";

    private final RelayService relay;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;

    /** Names bookings uniquely across nodes and restarts, without a secure random per allocation. */
    private final BookingTokens tokens = new BookingTokens();

    /** Tokens of bookings made for a request in flight, by user (one request per user at a time). */
    private final Map<BareJid, String> pending = new ConcurrentHashMap<>();

    private volatile ClusterSettings settings;
    private volatile NodeIdentity identity;
    private volatile RedisStore store;
    private volatile boolean available;
    /** This node as its last heartbeat described it (written by the agent, read by any caller). */
    private volatile ClusterNode self;
    private ClusterAgent agent;

    /**
     * @param relay the relay of this node
     * @param configAdmin where the relay's own configuration is read
     * @param log this component's logger
     */
    @Activate
    public ClusterNodeComponent(@Reference(name = "relay") RelayService relay,
            @Reference(name = "configAdmin") ConfigurationAdmin configAdmin,
            @Reference(name = "logger", service = LoggerFactory.class) Logger log) {
        this.relay = relay;
        this.configAdmin = configAdmin;
        this.log = log;
    }

    @Activate
    void activate(ClusterConfig config) {
        ClusterSettings s;
        try {
            s = ClusterSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("Configuration " + PID + " refused: " + e.getMessage() + "; using the defaults");
            s = ClusterSettings.from(Defaults.CONFIG);
        }
        start(s);
    }

    @Modified
    synchronized void modified(ClusterConfig config) {
        ClusterSettings next;
        try {
            next = ClusterSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("Configuration " + PID + " refused, the previous one stays in force: " + e.getMessage());
            return;
        }
        ClusterSettings now = settings;
        if (next.redisUri().equals(now.redisUri()) && next.prefix().equals(now.prefix())
                && next.nodeId().equals(now.nodeId()) && next.heartbeat().equals(now.heartbeat())
                && next.restUrl().equals(now.restUrl()) && next.publicAddress().equals(now.publicAddress())) {
            settings = next; // placement and on.redis.down apply to the next request
            log.info("Relay cluster: " + next.describe());
            return;
        }
        stop(true); // the node leaves where it was before it joins where it is told
        start(next);
    }

    @Deactivate
    synchronized void deactivate() {
        stop(true);
    }

    private synchronized void start(ClusterSettings s) {
        settings = s;
        identity = NodeIdentity.of(s, configAdmin);
        store = new RedisStore(s.redisUri(), s.prefix(), identity.id());
        log.info("Relay cluster: node " + identity.id() + " (REST " + identity.restUrl() + ", public address "
                + identity.publicAddress() + "), " + s.describe());
        beat(); // at once: the node is listed and its channels registered before anyone asks
        agent = new ClusterAgent(this::beat, s.heartbeat());
        agent.start();
    }

    private void stop(boolean leave) {
        if (agent != null) {
            agent.stop();
            agent = null;
        }
        RedisStore old = store;
        if (leave && available) {
            try {
                old.leave(); // the others see this node gone now, not in three heartbeats
            } catch (JedisException e) {
                // the record expires by itself
            }
        }
        available = false;
        old.close();
    }

    /** Every heartbeat, on the agent's thread: publish, forget dead nodes, and repair after an outage. */
    private void beat() {
        RedisStore s = store;
        Map<String, String> record = describeSelf(); // first: callers read this node from it, Redis or not
        try {
            boolean wasAvailable = available;
            if (!wasAvailable) {
                long[] r = s.rebuild(liveChannels());
                log.info("Relay cluster: Redis at " + ClusterSettings.redacted(settings.redisUri()) + " answers; "
                        + r[0] + " live channel" + (r[0] == 1 ? "" : "s") + " of this node registered, " + r[1]
                        + " stale entr" + (r[1] == 1 ? "y" : "ies") + " removed");
            }
            s.heartbeat(record, settings.expiry());
            for (String gone : s.sweep()) {
                log.warn("Relay cluster: node " + gone + " missed " + ClusterSettings.MISSED_HEARTBEATS
                        + " heartbeats; its channels left the directory and its users' quota is free");
            }
            available = true;
        } catch (JedisException e) {
            lost(e);
        }
    }

    private List<String> liveChannels() {
        List<String> live = new ArrayList<>();
        for (RelayChannel c : relay.channels()) {
            live.add(c.id() + " " + c.owner());
        }
        return live;
    }

    /** Logs before the flag flips, so whoever sees the node unavailable also finds the reason in the log. */
    private synchronized void lost(JedisException e) {
        if (available) {
            log.error("Relay cluster: Redis at " + ClusterSettings.redacted(settings.redisUri()) + " is unreachable ("
                    + e.getMessage() + "); " + (settings.localFallback()
                            ? "on.redis.down = local: this node's own quota applies until it returns"
                            : "on.redis.down = deny: new channels are denied until it returns")
                    + "; live channels keep forwarding");
            available = false;
        }
    }

    // --- SharedQuota: called by the quota policy, inside the relay's per-user section

    @Override
    public Booking book(BareJid user, int channelLimit, int perMinute) throws UnavailableException {
        if (!available) {
            throw new UnavailableException("Redis is unreachable", null);
        }
        String token = tokens.next();
        try {
            long[] r = store.book(user, token, channelLimit, perMinute);
            if (r[0] == 1) {
                pending.put(user, token);
            }
            int held = (int) r[1];
            return r[0] == 1 ? Booking.booked(held)
                    : r[2] > 0 ? Booking.rateLimited(held, Duration.ofMillis(r[2])) : Booking.atLimit(held);
        } catch (JedisException e) {
            lost(e);
            throw new UnavailableException("Redis is unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void cancel(BareJid user, int perMinute) {
        String token = pending.remove(user);
        if (token != null && available) {
            try {
                store.cancel(user, token);
            } catch (JedisException e) {
                lost(e); // the booking dies with the rebuild
            }
        }
    }

    // --- RelayPolicy "cluster"

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
        if (available || settings.localFallback()) {
            return PolicyDecision.allow();
        }
        return PolicyDecision.deny("Redis at " + ClusterSettings.redacted(settings.redisUri())
                + " is unreachable: the cluster cannot check quotas, so new channels are denied until it returns"
                + " (on.redis.down = deny); live channels keep forwarding");
    }

    @Override
    public void allocated(RelayChannel channel) {
        String token = pending.remove(channel.owner());
        if (!available) {
            return; // the rebuild registers it when Redis returns
        }
        try {
            store.add(channel.id(), channel.owner(), token);
        } catch (JedisException e) {
            lost(e);
        }
    }

    @Override
    public String describe() {
        ClusterSettings s = settings;
        return "node " + identity.id() + ", " + (available ? "Redis answers" : "Redis unreachable") + ", " + s.describe();
    }

    // --- ChannelListener

    @Override
    public void destroyed(RelayChannel channel, DestroyReason reason, Duration duration) {
        ClusterAgent a = agent;
        String id = channel.id();
        BareJid owner = channel.owner();
        RedisStore s = store;
        if (a != null && available) {
            a.submit(() -> {
                if (available) {
                    try {
                        s.remove(id, owner);
                    } catch (JedisException e) {
                        lost(e);
                    }
                }
            });
        }
    }

    // --- Cluster

    @Override
    public String localId() {
        return identity.id();
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public List<ClusterNode> nodes() {
        if (available) {
            try {
                List<ClusterNode> nodes = store.nodes();
                if (nodes.stream().anyMatch(ClusterNode::local)) {
                    return nodes;
                }
            } catch (JedisException e) {
                lost(e);
            }
        }
        return List.of(self());
    }

    @Override
    public Optional<ClusterNode> ownerOf(String channelId) {
        if (relay.channel(channelId).isPresent()) {
            return Optional.of(self());
        }
        if (!available || channelId == null || channelId.isEmpty() || channelId.length() > 200) {
            return Optional.empty();
        }
        try {
            return store.ownerOf(channelId);
        } catch (JedisException e) {
            lost(e);
            return Optional.empty();
        }
    }

    @Override
    public ClusterNode placement() {
        if (settings.placement() == ClusterSettings.Placement.LOCAL) {
            return self();
        }
        // the most spare capacity; on a tie this node (no hop), then the lowest id
        return nodes().stream()
                .max(Comparator.comparingInt(ClusterNode::spare).thenComparing(ClusterNode::local)
                        .thenComparing(ClusterNode::id, Comparator.reverseOrder()))
                .orElseGet(this::self);
    }

    /**
     * @return this node as its last heartbeat described it: a request that only asks "is it
     *         here?" (every POST under placement local, every channel it holds) costs nothing,
     *         where reading the relay's stats walks every live channel
     */
    private ClusterNode self() {
        return self;
    }

    /** @return this node as it is now, published as its record */
    private Map<String, String> describeSelf() {
        RelayStats s = relay.stats();
        Map<String, String> r = NodeRecord.write(identity.publicAddress(), identity.restUrl(), s, Instant.now());
        self = NodeRecord.read(identity.id(), r, s.liveChannels(), identity.id());
        return r;
    }

    /** For tests: the node stops as a killed process would, without a word to the others. */
    synchronized void crash() {
        stop(false);
    }

    /** For tests: the user's channels per live node, as Redis counts them. */
    Map<String, Integer> held(BareJid user) {
        return store.held(user);
    }

    /** The defaults of {@link ClusterConfig}, for a configuration that could not be read. */
    @ClusterConfig
    private static final class Defaults {
        static final ClusterConfig CONFIG = Defaults.class.getAnnotation(ClusterConfig.class);
    }
}
