package relay.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua scripts that make each shared step atomic in Redis. Keys of other nodes (their
 * records, to tell the living from the dead) are read inside the scripts, which a standalone or
 * replicated Redis allows; a sharded Redis Cluster does not, and is not supported.
 */
final class Scripts {

    private static final Map<String, String> SHA1 = new ConcurrentHashMap<>();

    private Scripts() {
    }

    /** @return the script's SHA1 in hex, as EVALSHA names it */
    static String sha1(String script) {
        return SHA1.computeIfAbsent(script, text -> {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-1", e);
            }
        });
    }

    /**
     * Books one channel: counts the user's channels on live nodes (forgetting those of dead
     * nodes), checks the limit, then the rate over the last 60 s, and books both.
     * KEYS: quota hash, rate sorted set. ARGV: node, token, limit, per minute, node key prefix.
     * Returns {booked 0|1, held, retry after ms}.
     */
    static final String BOOK = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local fields = redis.call('HGETALL', KEYS[1])
            local alive = {}
            local held = 0
            for i = 1, #fields, 2 do
              local node = fields[i + 1]
              local a = alive[node]
              if a == nil then
                a = redis.call('EXISTS', ARGV[5] .. node) == 1
                alive[node] = a
              end
              if a then held = held + 1 else redis.call('HDEL', KEYS[1], fields[i]) end
            end
            if held >= tonumber(ARGV[3]) then return {0, held, 0} end
            local per = tonumber(ARGV[4])
            if per > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
              if redis.call('ZCARD', KEYS[2]) >= per then
                local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
                return {0, held, math.max(1, tonumber(oldest[2]) + 60000 - now)}
              end
              redis.call('ZADD', KEYS[2], now, ARGV[2])
              redis.call('PEXPIRE', KEYS[2], 60000)
            end
            redis.call('HSET', KEYS[1], 'b:' .. ARGV[2], ARGV[1])
            return {1, held, 0}
            """;

    /** Gives a booking back. KEYS: quota hash, rate sorted set. ARGV: token. */
    static final String CANCEL = """
            redis.call('HDEL', KEYS[1], 'b:' .. ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """;

    /**
     * A channel now exists on this node: its booking (if any) becomes the channel, and the
     * directory learns it. KEYS: quota hash, channel key, node's channel set. ARGV: node,
     * channel id, user, token or empty.
     */
    static final String ADD = """
            if ARGV[4] ~= '' then redis.call('HDEL', KEYS[1], 'b:' .. ARGV[4]) end
            redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[2] .. ' ' .. ARGV[3])
            return 1
            """;

    /** A channel of this node is gone. KEYS: quota hash, channel key, node's channel set. ARGV: node, id, user. */
    static final String REMOVE = """
            redis.call('HDEL', KEYS[1], ARGV[2])
            if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
            redis.call('SREM', KEYS[3], ARGV[2] .. ' ' .. ARGV[3])
            return 1
            """;

    /**
     * Forgets every node whose record expired: its channels leave the directory and its users'
     * counts. ARGV: key prefix. Returns the ids of the nodes forgotten.
     */
    static final String SWEEP = """
            local p = ARGV[1]
            local gone = {}
            for _, node in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
              if redis.call('EXISTS', p .. 'node:' .. node) == 0 then
                for _, m in ipairs(redis.call('SMEMBERS', p .. 'node-channels:' .. node)) do
                  local sp = string.find(m, ' ', 1, true)
                  local id = string.sub(m, 1, sp - 1)
                  local user = string.sub(m, sp + 1)
                  redis.call('HDEL', p .. 'quota:' .. user, id)
                  if redis.call('GET', p .. 'channel:' .. id) == node then redis.call('DEL', p .. 'channel:' .. id) end
                end
                redis.call('DEL', p .. 'node-channels:' .. node)
                redis.call('SREM', p .. 'nodes', node)
                table.insert(gone, node)
              end
            end
            return gone
            """;

    /**
     * Makes the shared state of this node say what is true: exactly its live channels, in the
     * directory and in their users' counts (after Redis was unreachable or lost its data, or
     * when the node starts). ARGV: key prefix, node, then "id user" for each live channel.
     * Returns how many channels were added and how many stale ones removed.
     */
    static final String REBUILD = """
            local p = ARGV[1]
            local node = ARGV[2]
            local set = p .. 'node-channels:' .. node
            local live = {}
            for i = 3, #ARGV do live[ARGV[i]] = true end
            local removed = 0
            for _, m in ipairs(redis.call('SMEMBERS', set)) do
              if not live[m] then
                local sp = string.find(m, ' ', 1, true)
                local id = string.sub(m, 1, sp - 1)
                redis.call('HDEL', p .. 'quota:' .. string.sub(m, sp + 1), id)
                if redis.call('GET', p .. 'channel:' .. id) == node then redis.call('DEL', p .. 'channel:' .. id) end
                redis.call('SREM', set, m)
                removed = removed + 1
              end
            end
            for i = 3, #ARGV do
              local m = ARGV[i]
              local sp = string.find(m, ' ', 1, true)
              local id = string.sub(m, 1, sp - 1)
              redis.call('HSET', p .. 'quota:' .. string.sub(m, sp + 1), id, node)
              redis.call('SET', p .. 'channel:' .. id, node)
              redis.call('SADD', set, m)
            end
            return {#ARGV - 2, removed}
            """;
}
