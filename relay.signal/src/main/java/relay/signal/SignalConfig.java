package relay.signal;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code relay.signal}: tokens, limits, heartbeat and resume of the
 * signalling node. Numbers are read as text and checked by {@link SignalSettings} (as every
 * component of the relay does): {@code " 7 "} is 7, {@code 2.5} and a typo are refused naming the
 * key and the value. Every key takes effect at once (new frames, new connections, the next tick).
 */
@Retention(RetentionPolicy.RUNTIME)
@ObjectClassDefinition(id = SignalConfig.PID, name = "Relay signalling node",
        description = "WebSocket JSON signalling at /signal on the relay.http listener: tokens, limits, heartbeat, resume.")
@interface SignalConfig {

    String PID = "relay.signal";

    @AttributeDefinition(name = "JWT secret", type = AttributeType.PASSWORD, required = false,
            description = "HS256 secret that signs and checks tokens (at least 32 characters). Empty: the node issues no"
                    + " token and takes only tokens signed with jwt.public.key.")
    String jwt_secret() default "";

    @AttributeDefinition(name = "JWT public key", required = false,
            description = "RS256 or ES256 public key (PEM, or its base64 body) of an identity provider whose tokens the node takes.")
    String jwt_public_key() default "";

    @AttributeDefinition(name = "Largest frame", type = AttributeType.INTEGER,
            description = "Largest text frame in bytes; a larger one closes the connection with 1009.")
    String max_frame_bytes() default "65536";

    @AttributeDefinition(name = "Frames per second", type = AttributeType.INTEGER,
            description = "Sustained frames per second a connection may send; over it: error rate_limited with retryAfter.")
    String max_messages_per_second() default "50";

    @AttributeDefinition(name = "Burst", type = AttributeType.INTEGER,
            description = "Frames a connection may send at once above the sustained rate.")
    String max_burst() default "100";

    @AttributeDefinition(name = "Connections per user", type = AttributeType.INTEGER,
            description = "Live sessions of one user (bare JID); one more is closed with 4429.")
    String max_connections_per_user() default "10";

    @AttributeDefinition(name = "Connections per address", type = AttributeType.INTEGER,
            description = "Open connections from one IP address; one more is closed with 4429.")
    String max_connections_per_ip() default "100";

    @AttributeDefinition(name = "Pools per endpoint", type = AttributeType.INTEGER,
            description = "Pools one endpoint may be in at once; one more join: error too_many_pools.")
    String max_pools_per_endpoint() default "20";

    @AttributeDefinition(name = "Hello timeout", type = AttributeType.INTEGER,
            description = "Seconds a new connection has to send hello; after that: close 4401.")
    String hello_seconds() default "5";

    @AttributeDefinition(name = "Heartbeat", type = AttributeType.INTEGER,
            description = "Seconds between the node's pings; a connection that misses 2 pongs is closed.")
    String heartbeat_seconds() default "25";

    @AttributeDefinition(name = "Resume window", type = AttributeType.INTEGER,
            description = "Seconds a dropped endpoint may come back with its resume token (same id, same pools). 0: no resume.")
    String resume_seconds() default "20";

    @AttributeDefinition(name = "Resume buffer", type = AttributeType.INTEGER,
            description = "Frames kept for a dropped endpoint; one more ends its session at once.")
    String resume_buffer() default "256";

    @AttributeDefinition(name = "Longest token", type = AttributeType.INTEGER,
            description = "Largest ttl in seconds POST /signal/tokens takes.")
    String token_max_ttl() default "86400";

    @AttributeDefinition(name = "Expected peers", type = AttributeType.BOOLEAN,
            description = "A relay call's sides expect the endpoints' own IP addresses (as the node sees them).")
    String relay_expected_peers() default "true";

    @AttributeDefinition(name = "Redis", required = false,
            description = "redis://[[user]:password@]host[:port][/db] (rediss:// for TLS) of the pub/sub that joins several nodes. Empty: one node.")
    String redis_uri() default "";

    @AttributeDefinition(name = "Redis channel",
            description = "The pub/sub channel of this group of nodes (nodes on one Redis with another channel do not meet).")
    String redis_channel() default "relay.signal";
}
