package relay.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The cluster's configuration, validated.
 *
 * @param redisUri where Redis is
 * @param nodeId this node's id, empty for the default
 * @param heartbeat the time between heartbeats
 * @param placement where new channels go
 * @param localFallback true if the local quota applies while Redis is down, false to deny
 * @param prefix the prefix of every key
 * @param restUrl this node's REST URL, empty for the default
 * @param publicAddress this node's public address, empty for the default
 */
record ClusterSettings(URI redisUri, String nodeId, Duration heartbeat, Placement placement, boolean localFallback,
        String prefix, String restUrl, String publicAddress) {

    /** Where new channels go. */
    enum Placement {
        LOCAL, LEAST_LOADED;

        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:{}-]{1,50}");

    /** A node is dead after this many missed heartbeats. */
    static final int MISSED_HEARTBEATS = 3;

    /**
     * @param c the component's configuration
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value, if something is invalid
     */
    static ClusterSettings from(ClusterConfig c) {
        return new ClusterSettings(redisUri(c.redis_uri().trim()), nodeId(c.node_id().trim()),
                Duration.ofSeconds(integer("heartbeat.seconds", c.heartbeat_seconds(), 1, 60)),
                placement(c.placement().trim()), onRedisDown(c.on_redis_down().trim()), prefix(c.key_prefix().trim()),
                restUrl(c.rest_url().trim()), c.public_address().trim());
    }

    /** @return how long a node's record lives without a heartbeat */
    Duration expiry() {
        return heartbeat.multipliedBy(MISSED_HEARTBEATS);
    }

    String describe() {
        return "Redis " + redacted(redisUri) + ", heartbeat " + heartbeat.toSeconds() + " s, placement "
                + placement.key() + ", on Redis down: " + (localFallback ? "local" : "deny") + ", key prefix " + prefix;
    }

    /** @return the URI without its password, for logs */
    static String redacted(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return uri.toString().replace(userInfo + "@", shown + "@");
    }

    private static URI redisUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redis.uri is not a URI: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("redis.uri must start with redis:// or rediss://, not " + redacted(uri));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("redis.uri has no host: " + redacted(uri));
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d{1,2}")) {
            throw new IllegalArgumentException("redis.uri's path must be a database number (/0 to /15): " + redacted(uri));
        }
        return uri;
    }

    private static String nodeId(String value) {
        if (!value.isEmpty() && !NODE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("node.id must be 1 to 100 letters, digits or ._:@- : '" + value + "'");
        }
        return value;
    }

    private static Placement placement(String value) {
        return switch (value) {
            case "local" -> Placement.LOCAL;
            case "least-loaded" -> Placement.LEAST_LOADED;
            default -> throw new IllegalArgumentException("placement must be local or least-loaded, not '" + value + "'");
        };
    }

    private static boolean onRedisDown(String value) {
        return switch (value) {
            case "deny" -> false;
            case "local" -> true;
            default -> throw new IllegalArgumentException("on.redis.down must be deny or local, not '" + value + "'");
        };
    }

    private static String prefix(String value) {
        if (!PREFIX.matcher(value).matches()) {
            throw new IllegalArgumentException("key.prefix must be 1 to 50 letters, digits or ._:{}- : '" + value + "'");
        }
        return value;
    }

    private static String restUrl(String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("rest.url must be an http:// or https:// URL with a host: '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("rest.url is not a URL: '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static int integer(String key, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }
}
