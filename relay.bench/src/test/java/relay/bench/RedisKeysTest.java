package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private static Object reply(String resp) throws IOException {
        return RedisKeys.read(new ByteArrayInputStream(resp.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void commandsAreArraysOfBulkStrings() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RedisKeys.write(out, "SCAN", "0", "MATCH", "relay-bench:ä*");
        assertEquals("*4\r\n$4\r\nSCAN\r\n$1\r\n0\r\n$5\r\nMATCH\r\n$15\r\nrelay-bench:ä*\r\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void repliesAreRead() throws Exception {
        assertEquals("OK", reply("+OK\r\n"));
        assertEquals(3L, reply(":3\r\n"));
        assertEquals("a\r\nb", reply("$4\r\na\r\nb\r\n"));
        assertNull(reply("$-1\r\n"));
        assertEquals(List.of("17", List.of("relay-bench:x:node", "relay-bench:x:nodes")),
                reply("*2\r\n$2\r\n17\r\n*2\r\n$18\r\nrelay-bench:x:node\r\n$19\r\nrelay-bench:x:nodes\r\n"));
        IOException e = assertThrows(IOException.class, () -> reply("-NOAUTH Authentication required.\r\n"));
        assertEquals("Redis: NOAUTH Authentication required.", e.getMessage());
        assertThrows(IOException.class, () -> reply("$5\r\nab"));
    }

    @Test
    void aPrefixIsMatchedLiterallyAndAPasswordIsPercentDecoded() {
        assertEquals("relay-bench:\\*\\?\\[x\\]\\\\:", RedisKeys.glob("relay-bench:*?[x]\\:"));
        assertEquals("p@ss+w:rd", RedisKeys.decode("p%40ss+w%3Ard"));
    }

    @Test
    void theKeysUnderAPrefixAreCountedAndDeletedOnTheMachinesRedis() throws Exception {
        URI uri = URI.create("redis://127.0.0.1:6379/0");
        RedisKeys redis;
        try {
            redis = new RedisKeys(uri);
        } catch (IOException e) {
            assumeTrue(false, "no Redis at " + uri + ": " + e.getMessage());
            return;
        }
        try (redis) {
            String prefix = RelayProcess.clusterPrefix();
            for (int i = 0; i < 1200; i++) {                      // more than one SCAN page and one DEL
                redis.call("SET", prefix + i, "x", "EX", "60");
            }
            redis.call("SET", prefix.substring(0, prefix.length() - 1) + "-other", "x", "EX", "60");
            assertEquals(1200, redis.keys(prefix).size());
            assertEquals(1200L, redis.deleteAll(prefix));
            assertEquals(0, redis.keys(prefix).size());
            assertEquals(1L, redis.call("DEL", prefix.substring(0, prefix.length() - 1) + "-other"));
        }
    }
}
