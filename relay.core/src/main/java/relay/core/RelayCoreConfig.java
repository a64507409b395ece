package relay.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * PID {@code relay.core}: the component takes this type in {@code @Activate} and
 * {@code @Modified}, and Metatype describes it to Config Admin tools (Felix web console, Karaf
 * {@code config:} commands). The defaults live here and nowhere else; {@link CoreConfig#from}
 * adds what a type cannot say (ranges, an address of this host).
 *
 * <p>Numbers and flags are declared as text (their metatype type stays Integer or Boolean) and
 * read by {@link CoreConfig}: DS coercion would read {@code on} or a typo as {@code false}, cut
 * 2.5 to 2, refuse {@code " 7 "} and name no value when it refuses.
 */
@ObjectClassDefinition(id = "relay.core", name = "Relay core",
        description = "Ports, addresses, latching and timeouts of the media relay.")
public @interface RelayCoreConfig {

    @AttributeDefinition(name = "Bind address", description = "Local address the media sockets bind to. New channels.")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(name = "Public address", required = false,
            description = "Address handed to clients. Default: the bind address, or the first non-loopback address. New channels.")
    String public_address() default "";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Lowest port", min = "1", max = "65535", description = "New channels.")
    String port_min() default "10000";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Highest port", min = "1", max = "65535", description = "New channels.")
    String port_max() default "20000";

    @AttributeDefinition(name = "RTCP ports", type = AttributeType.BOOLEAN,
            description = "true: each side gets an RTCP port at RTP + 1; false: one port per side (rtcp-mux). New channels.")
    String rtcp() default "true";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Idle timeout (s)", min = "1", description = "Channels idle longer are destroyed. At once.")
    String idle_timeout() default "60";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Maximum channels", min = "0", description = "Global capacity. At once.")
    String max_channels() default "10000";

    @AttributeDefinition(name = "Latching", options = {@Option(value = "strict"), @Option(value = "handover")},
            description = "strict: the first source owns a port; handover: a new source takes over after a quiet period. New channels.")
    String latching() default "strict";

    @AttributeDefinition(name = "Connect latched sockets", options = {@Option(value = "true"), @Option(value = "false")},
            description = "Strict latching in the kernel too: a socket that latched is connected to its peer, so the kernel"
                    + " drops other sources before the relay sees them (uncounted) and sends take the cached route. New channels.")
    String latch_connect() default "true";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Handover quiet period (ms)", min = "0", description = "At once.")
    String handover_quiet_ms() default "2000";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "I/O threads", min = "0", max = "1024",
            description = "Selector loops; 0: the number of processors. At once while no channel lives, else on restart of the component.")
    String io_threads() default "0";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Wake-up coalescing (µs)", min = "0", max = "1000",
            description = "Once datagrams reach an I/O loop faster than one per this window, the loop wakes once per window"
                    + " (plus the kernel's timer slack) and forwards what gathered, instead of once per datagram: less CPU"
                    + " per datagram for at most this much more delay, only under load. 0: wake for every datagram. At once.")
    String io_coalesce_us() default "100";

    @AttributeDefinition(name = "I/O engine", options = {@Option(value = "auto"), @Option(value = "nio"), @Option(value = "ffm")},
            description = "How sockets are made and watched: nio, the JDK's channels and selectors (any Java); ffm, plain"
                    + " descriptors and epoll through the Foreign Function & Memory API (Java 22 or newer, Linux), a few"
                    + " bytes of heap a socket instead of about 750; auto, ffm where it runs, else nio. At once while no"
                    + " channel lives, else on restart of the component.")
    String io_engine() default "auto";

    @AttributeDefinition(name = "Required policies", required = false,
            description = "Policy names (whitelist, quota, ...) that must be bound: while one is not (a bundle update,"
                    + " a boot), every allocation is denied. At once.")
    String[] required_policies() default {};

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Scan guard: ports", min = "0",
            description = "A source latching more ports than this within 10 s is a scanner; 0 turns the guard off. At once.")
    String scan_guard_ports() default "20";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Scan guard: seconds", min = "1",
            description = "How long a scanner's latches are refused. At once.")
    String scan_guard_seconds() default "300";

    @AttributeDefinition(name = "Scan guard: exempt sources", required = false,
            description = "Addresses or prefixes (192.0.2.7, 10.0.0.0/8, 2001:db8::/32) the scan guard never refuses: an"
                    + " SBC or media server behind one address latches many ports. Default: this host's loopback. At once.")
    String[] scan_guard_exempt() default {"127.0.0.0/8", "::1"};

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Listener queue", min = "1",
            description = "Channel events waiting for one listener at most; more are dropped and counted. At once.")
    String listener_queue() default "10000";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Cap per side (kbit/s)", min = "0",
            description = "Datagrams received on one side of a channel beyond this rate are dropped (burst: one second's"
                    + " worth); 0: no cap. A policy may set a lower one. At once, live channels too.")
    String max_kbps() default "0";

    @AttributeDefinition(type = AttributeType.INTEGER, name = "Cap per side (datagrams/s)", min = "0",
            description = "As the kbit/s cap, in datagrams per second; 0: no cap. At once, live channels too.")
    String max_pps() default "0";

    @AttributeDefinition(name = "IPv6 bind address for bridges", required = false,
            description = "With an IPv4 bind.address: an IPv6 address of this host for the IPv6 side of a channel that"
                    + " asks for one (familyB = ipv6). Empty: no bridging. New channels.")
    String bind_address6() default "";

    @AttributeDefinition(name = "IPv6 public address for bridges", required = false,
            description = "Address handed to the IPv6 party of a bridge. Default: bind.address6. New channels.")
    String public_address6() default "";
}
