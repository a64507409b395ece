package relay.signal;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Locale;

/**
 * The validated values of PID {@code relay.signal}. {@link #from} names the key and the value of
 * anything it refuses (a secret by its key only).
 */
record SignalSettings(byte[] secret, PublicKey publicKey, int maxFrameBytes, int ratePerSecond, int burst,
        int maxConnectionsPerUser, int maxConnectionsPerIp, int maxPoolsPerEndpoint, int helloSeconds,
        int heartbeatSeconds, int resumeSeconds, int resumeBuffer, int tokenMaxTtl, boolean expectPeers,
        String redisUri, String redisChannel) {

    /** The shortest HS256 secret taken: 256 bits of text. */
    static final int MIN_SECRET = 32;

    static final SignalSettings DEFAULTS = from(Unconfigured.class.getAnnotation(SignalConfig.class));

    static SignalSettings from(SignalConfig c) {
        String secret = text(c.jwt_secret()).trim();
        if (!secret.isEmpty() && secret.length() < MIN_SECRET) {
            throw new IllegalArgumentException("relay.signal: jwt.secret is " + secret.length()
                    + " characters long; it needs at least " + MIN_SECRET + " (not shown here)");
        }
        String pem = text(c.jwt_public_key()).trim();
        PublicKey key = null;
        if (!pem.isEmpty()) {
            try {
                key = Jwt.publicKey(pem);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("relay.signal: jwt.public.key is not an RSA or EC public key: " + e.getMessage());
            }
        }
        int frame = number("max.frame.bytes", c.max_frame_bytes(), 256, 16 * 1024 * 1024);
        int rate = number("max.messages.per.second", c.max_messages_per_second(), 1, 1_000_000);
        int burst = number("max.burst", c.max_burst(), 1, 1_000_000);
        int perUser = number("max.connections.per.user", c.max_connections_per_user(), 1, 1_000_000);
        int perIp = number("max.connections.per.ip", c.max_connections_per_ip(), 1, 10_000_000);
        int pools = number("max.pools.per.endpoint", c.max_pools_per_endpoint(), 1, 100_000);
        int hello = number("hello.seconds", c.hello_seconds(), 1, 3600);
        int heartbeat = number("heartbeat.seconds", c.heartbeat_seconds(), 1, 3600);
        int resume = number("resume.seconds", c.resume_seconds(), 0, 86_400);
        int buffer = number("resume.buffer", c.resume_buffer(), 1, 1_000_000);
        int ttl = number("token.max.ttl", c.token_max_ttl(), 1, 31_536_000);
        boolean expect = flag("relay.expected.peers", c.relay_expected_peers());
        String redis = text(c.redis_uri()).trim();
        if (!redis.isEmpty()) {
            java.net.URI u;
            try {
                u = new java.net.URI(redis);
            } catch (java.net.URISyntaxException e) {
                u = null;
            }
            String path = u == null ? null : u.getPath();
            if (u == null || !("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) || u.getHost() == null
                    || u.getHost().isEmpty() || (path != null && !path.isEmpty() && !path.matches("/\\d{0,5}"))) {
                throw new IllegalArgumentException("relay.signal: redis.uri = '" + shownUri(redis)
                        + "' is not redis://[[user]:password@]host[:port][/db] (or rediss:// for TLS)");
            }
        }
        String channel = text(c.redis_channel()).trim();
        if (channel.isEmpty() || channel.length() > 200 || !channel.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw new IllegalArgumentException("relay.signal: redis.channel = '" + channel + "' is not 1..200 printable ASCII characters");
        }
        return new SignalSettings(secret.getBytes(StandardCharsets.UTF_8), key, frame, rate, burst, perUser, perIp, pools,
                hello, heartbeat, resume, buffer, ttl, expect, redis, channel);
    }

    /** @return these settings with {@code key} as the HS256 secret */
    SignalSettings withSecret(byte[] key) {
        return new SignalSettings(key, publicKey, maxFrameBytes, ratePerSecond, burst, maxConnectionsPerUser,
                maxConnectionsPerIp, maxPoolsPerEndpoint, helloSeconds, heartbeatSeconds, resumeSeconds, resumeBuffer,
                tokenMaxTtl, expectPeers, redisUri, redisChannel);
    }

    boolean issuesTokens() {
        return secret.length > 0;
    }

    boolean checksTokens() {
        return secret.length > 0 || publicKey != null;
    }

    /** A URI as a log line may show it: without its password. */
    static String shownUri(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    private static String text(String v) {
        return v == null ? "" : v;
    }

    static int number(String key, String raw, int min, int max) {
        String t = text(raw).trim();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("relay.signal: " + key + " = '" + t + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("relay.signal: " + key + " = '" + t + "' is out of range " + min + ".." + max);
        }
        return (int) v;
    }

    static boolean flag(String key, String raw) {
        String t = text(raw).trim();
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("relay.signal: " + key + " = '" + t
                    + "' is not a flag (true/false, yes/no, on/off)");
        };
    }

    @Override
    public String toString() {
        return "SignalSettings[secret " + (secret.length > 0 ? "set" : "none") + ", public key "
                + (publicKey == null ? "none" : publicKey.getAlgorithm()) + ", frame " + maxFrameBytes + ", rate "
                + ratePerSecond + "/" + burst + ", heartbeat " + heartbeatSeconds + " s, resume " + resumeSeconds + " s, "
                + (redisUri.isEmpty() ? "one node" : "nodes over " + shownUri(redisUri) + " channel " + redisChannel) + "]";
    }

    @SignalConfig
    private static final class Unconfigured {
    }
}
