package relay.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import relay.api.BareJid;
import relay.api.cluster.ClusterNode;

/**
 * The cluster's shared state in one Redis, under one key prefix. Every method is one round trip
 * (a script or a pipeline) and throws {@link JedisException} when Redis does not answer within
 * its timeout. Keys, for prefix {@code p}:
 * <ul>
 * <li>{@code p nodes}: the set of node ids; {@code p node:<id>}: a node's record, a hash that
 * expires after three heartbeats;
 * <li>{@code p channel:<id>}: the node that holds a channel; {@code p node-channels:<node>}: the
 * set of {@code "<channel id> <user>"} a node holds;
 * <li>{@code p quota:<user>}: a hash of the user's channels (and bookings, {@code b:<token>}) to
 * the node that holds them; {@code p rate:<user>}: the user's allocations of the last minute.
 * </ul>
 */
final class RedisStore implements AutoCloseable {

    /** How long a command may wait for Redis: allocations must never hang on it. */
    static final int TIMEOUT_MS = 1000;

    private final JedisPooled redis;
    private final String prefix;
    private final String node;

    RedisStore(URI uri, String prefix, String node) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(32);
        pool.setMaxIdle(8);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        pool.setJmxEnabled(false);
        this.redis = new JedisPooled(pool, uri, TIMEOUT_MS, TIMEOUT_MS);
        this.prefix = prefix;
        this.node = node;
    }

    String node() {
        return node;
    }

    /** Publishes this node's record with an expiry and makes sure the node is listed. */
    void heartbeat(Map<String, String> record, Duration expiry) {
        try (var p = redis.pipelined()) { // a pipeline holds its connection until closed
            p.hset(nodeKey(node), record);
            p.pexpire(nodeKey(node), expiry.toMillis());
            p.sadd(prefix + "nodes", node);
            p.sync();
        }
    }

    /** Removes this node's record at a clean stop: its channels are gone with it. */
    void leave() {
        redis.del(nodeKey(node));
        run(Scripts.SWEEP, List.of(), List.of(prefix));
    }

    /** @return the nodes forgotten because their records expired */
    @SuppressWarnings("unchecked")
    List<String> sweep() {
        return (List<String>) run(Scripts.SWEEP, List.of(), List.of(prefix));
    }

    @SuppressWarnings("unchecked")
    long[] book(BareJid user, String token, int limit, int perMinute) {
        List<Long> r = (List<Long>) run(Scripts.BOOK, List.of(quotaKey(user), rateKey(user)),
                List.of(node, token, Integer.toString(limit), Integer.toString(perMinute), prefix + "node:"));
        return new long[] {r.get(0), r.get(1), r.get(2)};
    }

    void cancel(BareJid user, String token) {
        run(Scripts.CANCEL, List.of(quotaKey(user), rateKey(user)), List.of(token));
    }

    void add(String channelId, BareJid user, String token) {
        run(Scripts.ADD, List.of(quotaKey(user), channelKey(channelId), prefix + "node-channels:" + node),
                List.of(node, channelId, user.toString(), token == null ? "" : token));
    }

    void remove(String channelId, BareJid user) {
        run(Scripts.REMOVE, List.of(quotaKey(user), channelKey(channelId), prefix + "node-channels:" + node),
                List.of(node, channelId, user.toString()));
    }

    /**
     * @param live {@code "<channel id> <user>"} of every live channel of this node
     * @return channels written and stale entries removed
     */
    @SuppressWarnings("unchecked")
    long[] rebuild(List<String> live) {
        List<String> args = new ArrayList<>(live.size() + 2);
        args.add(prefix);
        args.add(node);
        args.addAll(live);
        List<Long> r = (List<Long>) run(Scripts.REBUILD, List.of(), args);
        return new long[] {r.get(0), r.get(1)};
    }

    /** @return the live nodes, by id, with their live channel counts read from the directory */
    List<ClusterNode> nodes() {
        List<String> ids = new ArrayList<>(redis.smembers(prefix + "nodes"));
        ids.sort(null);
        List<Response<Map<String, String>>> records = new ArrayList<>();
        List<Response<Long>> counts = new ArrayList<>();
        try (var p = redis.pipelined()) {
            for (String id : ids) {
                records.add(p.hgetAll(nodeKey(id)));
                counts.add(p.scard(prefix + "node-channels:" + id));
            }
            p.sync();
        }
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> r = records.get(i).get();
            if (!r.isEmpty()) { // an expired record: a dead node the next sweep forgets
                nodes.add(NodeRecord.read(ids.get(i), r, counts.get(i).get().intValue(), node));
            }
        }
        return nodes;
    }

    /** @return the live node that holds the channel */
    Optional<ClusterNode> ownerOf(String channelId) {
        String owner = redis.get(channelKey(channelId));
        if (owner == null) {
            return Optional.empty();
        }
        Response<Map<String, String>> record;
        Response<Long> count;
        try (var p = redis.pipelined()) {
            record = p.hgetAll(nodeKey(owner));
            count = p.scard(prefix + "node-channels:" + owner);
            p.sync();
        }
        Map<String, String> r = record.get();
        return r.isEmpty() ? Optional.empty() : Optional.of(NodeRecord.read(owner, r, count.get().intValue(), node));
    }

    /** @return how many channels the user holds on live nodes, per node (for tests and the shell) */
    Map<String, Integer> held(BareJid user) {
        Map<String, Integer> perNode = new HashMap<>();
        Set<String> live = Set.copyOf(redis.smembers(prefix + "nodes"));
        redis.hgetAll(quotaKey(user)).forEach((field, owner) -> {
            if (live.contains(owner) && redis.exists(nodeKey(owner))) {
                perNode.merge(owner, 1, Integer::sum);
            }
        });
        return perNode;
    }

    /**
     * Runs a script by its SHA1 (Redis keeps it compiled), sending its text only when Redis does
     * not know it yet (the first call, or after a restart).
     */
    private Object run(String script, List<String> keys, List<String> args) {
        String sha = Scripts.sha1(script);
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(script, keys, args);
        }
    }

    /** @return true if Redis answers */
    boolean ping() {
        return "PONG".equals(redis.ping());
    }

    @Override
    public void close() {
        redis.close();
    }

    private String nodeKey(String id) {
        return prefix + "node:" + id;
    }

    private String channelKey(String id) {
        return prefix + "channel:" + id;
    }

    private String quotaKey(BareJid user) {
        return prefix + "quota:" + user;
    }

    private String rateKey(BareJid user) {
        return prefix + "rate:" + user;
    }
}
