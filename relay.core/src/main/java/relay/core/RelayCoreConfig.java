package relay.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype description of PID {@code relay.core}. The component reads the same keys through
 * {@link CoreConfig#parse(java.util.Map)}, which validates them; this type describes them to
 * Config Admin tools (Felix web console, Karaf {@code config:} commands).
 */
@ObjectClassDefinition(id = "relay.core", name = "Relay core",
        description = "Ports, addresses, latching and timeouts of the media relay.")
@interface RelayCoreConfig {

    @AttributeDefinition(name = "Bind address", description = "Local address the media sockets bind to. New channels.")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(name = "Public address", required = false,
            description = "Address handed to clients. Default: the bind address, or the first non-loopback address. New channels.")
    String public_address();

    @AttributeDefinition(name = "Lowest port", min = "1", max = "65535", description = "New channels.")
    int port_min() default 10000;

    @AttributeDefinition(name = "Highest port", min = "1", max = "65535", description = "New channels.")
    int port_max() default 20000;

    @AttributeDefinition(name = "RTCP ports", description = "Each side gets an RTCP port at RTP + 1. New channels.")
    boolean rtcp() default true;

    @AttributeDefinition(name = "Idle timeout (s)", min = "1", description = "Channels idle longer are destroyed. At once.")
    int idle_timeout() default 60;

    @AttributeDefinition(name = "Maximum channels", min = "0", description = "Global capacity. At once.")
    int max_channels() default 10000;

    @AttributeDefinition(name = "Latching", options = {@Option(value = "strict"), @Option(value = "handover")},
            description = "strict: the first source owns a port; handover: a new source takes over after a quiet period. New channels.")
    String latching() default "strict";

    @AttributeDefinition(name = "Handover quiet period (ms)", min = "0", description = "At once.")
    int handover_quiet_ms() default 2000;

    @AttributeDefinition(name = "I/O threads", min = "1", required = false,
            description = "Selector loops. Default: the number of processors. On restart of the component.")
    int io_threads();
}
