package relay.cluster;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code relay.cluster}: validated by {@link ClusterSettings}. */
@ObjectClassDefinition(id = ClusterNodeComponent.PID, name = "Relay cluster",
        description = "Shares quotas, a channel directory and load with the other relay nodes on one Redis.")
@interface ClusterConfig {

    /** @return where Redis is */
    @AttributeDefinition(name = "Redis URI", description = "redis://[user:password@]host:port/db or rediss:// for TLS.")
    String redis_uri() default "redis://127.0.0.1:6379/0";

    /** @return this node's id */
    @AttributeDefinition(name = "Node id", required = false,
            description = "Unique in the cluster; empty: the host name and the REST port (host:8480).")
    String node_id() default "";

    /** @return seconds between heartbeats */
    @AttributeDefinition(name = "Heartbeat (s)", type = AttributeType.INTEGER, min = "1", max = "60",
            description = "How often the node publishes itself; it is dead after 3 missed heartbeats.")
    String heartbeat_seconds() default "2";

    /** @return where POST /relay/channels allocates */
    @AttributeDefinition(name = "Placement", description = "local: on the node asked; least-loaded: on the node"
            + " with the most spare capacity.")
    String placement() default "local";

    /** @return what allocations do while Redis is unreachable */
    @AttributeDefinition(name = "When Redis is down", description = "deny: new allocations are denied (policy"
            + " cluster); local: this node's own quota applies until Redis returns.")
    String on_redis_down() default "deny";

    /** @return the prefix of every key */
    @AttributeDefinition(name = "Key prefix", description = "Every key the cluster writes starts with it;"
            + " clusters sharing one Redis need different prefixes.")
    String key_prefix() default "relay:";

    /** @return this node's REST URL */
    @AttributeDefinition(name = "REST URL", required = false,
            description = "How other nodes reach this node's REST API (http://10.0.0.5:8480); empty: from PID"
                    + " relay.http (its address, or the host name when it listens on all addresses, and its port).")
    String rest_url() default "";

    /** @return this node's public address */
    @AttributeDefinition(name = "Public address", required = false,
            description = "The address this node's channels hand out; empty: public.address of PID relay.core,"
                    + " else its bind.address.")
    String public_address() default "";
}
