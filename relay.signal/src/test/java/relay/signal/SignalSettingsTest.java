package relay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import relay.testing.ComponentConfig;

class SignalSettingsTest {

    private static SignalSettings from(Map<String, Object> p) {
        return SignalSettings.from(ComponentConfig.of(SignalConfig.class, p));
    }

    @Test
    void theDefaultsAreTheIssues() {
        SignalSettings d = SignalSettings.DEFAULTS;
        assertEquals(65536, d.maxFrameBytes());
        assertEquals(50, d.ratePerSecond());
        assertEquals(100, d.burst());
        assertEquals(10, d.maxConnectionsPerUser());
        assertEquals(100, d.maxConnectionsPerIp());
        assertEquals(20, d.maxPoolsPerEndpoint());
        assertEquals(25, d.heartbeatSeconds());
        assertEquals(5, d.helloSeconds());
        assertEquals(20, d.resumeSeconds());
        assertEquals(256, d.resumeBuffer());
        assertFalse(d.checksTokens());
        assertTrue(d.expectPeers());
    }

    @Test
    void numbersWithSpacesAndFlagsInWordsAreTakenAsMeant() {
        Map<String, Object> p = new HashMap<>();
        p.put("max.frame.bytes", " 4096 ");
        p.put("relay.expected.peers", "Off");
        p.put("jwt.secret", "x".repeat(32));
        SignalSettings s = from(p);
        assertEquals(4096, s.maxFrameBytes());
        assertFalse(s.expectPeers());
        assertTrue(s.issuesTokens());
    }

    @Test
    void whatCannotServeIsRefusedNamingTheKeyAndTheValueButNeverTheSecret() {
        assertEquals("relay.signal: max.frame.bytes = '2.5' is not a whole number",
                assertThrows(IllegalArgumentException.class, () -> from(Map.of("max.frame.bytes", "2.5"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("heartbeat.seconds", "0")))
                .getMessage().contains("heartbeat.seconds = '0' is out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("max.burst", "99999999999")))
                .getMessage().contains("max.burst"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("relay.expected.peers", "maybe")))
                .getMessage().contains("relay.expected.peers = 'maybe'"));
        String m = assertThrows(IllegalArgumentException.class, () -> from(Map.of("jwt.secret", "short-secret-123"))).getMessage();
        assertTrue(m.contains("jwt.secret") && !m.contains("short-secret-123"), m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("jwt.public.key", "nope")))
                .getMessage().contains("jwt.public.key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("redis.uri", "http://x")))
                .getMessage().contains("redis.uri = 'http://x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("redis.uri", "redis://h:6379/db")))
                .getMessage().contains("redis.uri = 'redis://h:6379/db'"));
        String pw = assertThrows(IllegalArgumentException.class, () -> from(Map.of("redis.uri", "redis://:hush@/x")))
                .getMessage();
        assertTrue(pw.contains("redis.uri") && !pw.contains("hush"), pw);
    }

    @Test
    void aRedisUriWithTlsAUserAndADatabaseIsTaken() {
        SignalSettings s = from(Map.of("redis.uri", " rediss://relay:s3cret@redis.example.com:6380/2 "));
        assertEquals("rediss://relay:s3cret@redis.example.com:6380/2", s.redisUri());
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertEquals("redis://127.0.0.1:6379", from(Map.of("redis.uri", "redis://127.0.0.1:6379")).redisUri());
        assertEquals("redis://:pw@10.0.0.1/", from(Map.of("redis.uri", "redis://:pw@10.0.0.1/")).redisUri());
    }
}
