package relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import relay.testing.ComponentConfig;

class ClusterSettingsTest {

    private static ClusterSettings parse(Map<String, Object> properties) {
        return ClusterSettings.from(ComponentConfig.of(ClusterConfig.class, properties));
    }

    @Test
    void theDefaultsAreOneLocalRedisDenyingWhenItIsDown() {
        ClusterSettings s = parse(Map.of());
        assertEquals("redis://127.0.0.1:6379/0", s.redisUri().toString());
        assertEquals(Duration.ofSeconds(2), s.heartbeat());
        assertEquals(Duration.ofSeconds(6), s.expiry(), "dead after 3 missed heartbeats");
        assertEquals(ClusterSettings.Placement.LOCAL, s.placement());
        assertFalse(s.localFallback());
        assertEquals("relay:", s.prefix());
        assertEquals("", s.nodeId());
    }

    @Test
    void everyKeyIsRead() {
        ClusterSettings s = parse(Map.of("redis.uri", " rediss://user:pw@redis.example.com:6380/3 ", "node.id", "eu-1",
                "heartbeat.seconds", " 5 ", "placement", "least-loaded", "on.redis.down", "local", "key.prefix", "{r}:",
                "rest.url", "https://10.0.0.5:8480/", "public.address", "203.0.113.7"));
        assertEquals("rediss", s.redisUri().getScheme());
        assertEquals("eu-1", s.nodeId());
        assertEquals(Duration.ofSeconds(5), s.heartbeat());
        assertEquals(ClusterSettings.Placement.LEAST_LOADED, s.placement());
        assertTrue(s.localFallback());
        assertEquals("{r}:", s.prefix());
        assertEquals("https://10.0.0.5:8480", s.restUrl());
        assertEquals("203.0.113.7", s.publicAddress());
        assertFalse(s.describe().contains("pw"), "the password never reaches a log line: " + s.describe());
        assertTrue(s.describe().contains("user:***@redis.example.com"), s.describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis.uri|http://127.0.0.1:6379|redis.uri must start with redis:// or rediss://",
        "redis.uri|redis://127.0.0.1:6379/x|database number",
        "redis.uri|redis:// bad|redis.uri is not a URI",
        "heartbeat.seconds|0|heartbeat.seconds must be between 1 and 60, not 0",
        "heartbeat.seconds|2.5|heartbeat.seconds must be a whole number, not '2.5'",
        "placement|round-robin|placement must be local or least-loaded, not 'round-robin'",
        "on.redis.down|ignore|on.redis.down must be deny or local, not 'ignore'",
        "node.id|a b|node.id must be",
        "key.prefix|a b|key.prefix must be",
        "rest.url|ftp://x|rest.url must be an http:// or https:// URL"})
    void anInvalidValueIsRefusedNamingTheKey(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(key, value)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
