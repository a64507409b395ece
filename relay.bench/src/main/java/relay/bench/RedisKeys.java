package relay.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The little of Redis the bench needs for {@code --cluster}: count and delete the keys under the
 * run's prefix (SCAN + DEL), through Jedis as the cluster bundle does, on the URI it takes
 * ({@code redis://[user:password@]host:port/db} or {@code rediss://}).
 */
final class RedisKeys implements Closeable {

    private static final int TIMEOUT_MS = 5_000;

    private final JedisPooled redis;

    RedisKeys(URI uri) throws IOException {
        redis = new JedisPooled(uri, TIMEOUT_MS);
        try {
            redis.ping();
        } catch (JedisException e) {
            redis.close();
            throw new IOException("Redis at " + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort())
                    + " does not answer: " + e.getMessage(), e);
        }
    }

    /** The keys under {@code prefix} (SCAN MATCH prefix*; the prefix's glob characters escaped). */
    List<String> keys(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(glob(prefix) + "*").count(1000));
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (JedisException e) {
            throw new IOException("Redis: " + e.getMessage(), e);
        }
        return keys;
    }

    /** Deletes every key under {@code prefix}; returns how many there were. */
    long deleteAll(String prefix) throws IOException {
        List<String> keys = keys(prefix);
        long deleted = 0;
        try {
            for (int i = 0; i < keys.size(); i += 500) {
                deleted += redis.del(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(String[]::new));
            }
        } catch (JedisException e) {
            throw new IOException("Redis: " + e.getMessage(), e);
        }
        return deleted;
    }

    /** @return {@code prefix} with the glob characters of SCAN MATCH escaped */
    static String glob(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        redis.close();
    }
}
