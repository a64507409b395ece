package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.JedisPooled;

import relay.testing.TestRedis;

class RedisKeysTest {

    @Test
    void aPrefixIsMatchedLiterally() {
        assertEquals("relay-bench:\\*\\?\\[x\\]\\\\:", RedisKeys.glob("relay-bench:*?[x]\\:"));
    }

    @Test
    void aRedisThatDoesNotAnswerIsOneClearError() {
        IOException e = assertThrows(IOException.class, () -> new RedisKeys(URI.create("redis://127.0.0.1:1/0")));
        assertTrue(e.getMessage().startsWith("Redis at 127.0.0.1:1 does not answer"), e.getMessage());
    }

    @Test
    void theKeysUnderAPrefixAreCountedAndDeletedOnTheMachinesRedis() throws Exception {
        TestRedis.requireReachable();
        String prefix = RelayProcess.clusterPrefix();
        String other = prefix.substring(0, prefix.length() - 1) + "-other";
        try (RedisKeys redis = new RedisKeys(TestRedis.URI_); JedisPooled direct = new JedisPooled(TestRedis.URI_)) {
            for (int i = 0; i < 1200; i++) { // more than one SCAN page and one DEL
                direct.setex(prefix + i, 60, "x");
            }
            direct.setex(other, 60, "x");
            assertEquals(1200, redis.keys(prefix).size());
            assertEquals(1200L, redis.deleteAll(prefix));
            assertEquals(0, redis.keys(prefix).size());
            assertEquals(1L, direct.del(other), "a key outside the prefix stays");
        }
    }
}
