package relay.shell;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import relay.api.AddressFamily;
import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.api.Side;
import relay.api.cluster.Cluster;
import relay.api.spi.RelayPolicy;

/**
 * The Gogo commands of scope {@code relay}. Each command returns a value (for variables,
 * pipes and scripts) that {@link RelayConverter} prints as aligned text; bad input prints one
 * line on the error stream, returns {@code null} and changes nothing.
 *
 * <p>Immediate, so that the commands exist as soon as the prompt does; the relay service is
 * optional, so that a command typed before the core is up says so instead of "Command not found".
 */
@Component(immediate = true, service = RelayCommands.class)
@GogoCommand(scope = "relay", function = {"channels", "channel", "allocate", "destroy", "stats", "policies", "drain", "nodes"})
public class RelayCommands {

    /** The origin the core logs for requests made here. */
    static final String ORIGIN = "shell";
    /** What stands for "no expected peer" in {@code relay:allocate}: any first source latches. */
    static final String NO_PEER = "-";

    private final Clock clock;
    private final Map<Long, BoundPolicy> policies = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RelayService relay;

    /** The cluster this node belongs to, registered by relay.cluster; without it the node runs alone. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Cluster cluster;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    /** For the component runtime. */
    public RelayCommands() {
        this(null, Clock.systemUTC());
    }

    /** Outside a framework: commands over {@code relay} (which may be {@code null}: not running). */
    RelayCommands(RelayService relay, Clock clock) {
        this(relay, null, clock);
    }

    /** Outside a framework: commands over {@code relay} in {@code cluster} (either may be {@code null}). */
    RelayCommands(RelayService relay, Cluster cluster, Clock clock) {
        this.relay = relay;
        this.cluster = cluster;
        this.clock = clock;
    }

    @Descriptor("Lists all live channels, newest first: ports, latched peers, age, idle time, traffic each way")
    public ChannelList channels() {
        return attempt("relay:channels", r -> new ChannelList(r.channels(), null));
    }

    @Descriptor("Lists the live channels of one user, newest first")
    public ChannelList channels(@Descriptor("the owner's JID, for example alice@example.com") String user) {
        return attempt("relay:channels", r -> {
            BareJid owner = jid(user);
            return new ChannelList(r.channels(owner), owner);
        });
    }

    @Descriptor("Shows everything about one channel: ports, peers, timing, traffic and drops by reason")
    public RelayChannel channel(@Descriptor("the channel id, as relay:channels shows it") String id) {
        return attempt("relay:channel", r -> r.channel(id).orElseThrow(() -> new Refusal(Messages.noSuchChannel(id))));
    }

    @Descriptor("Allocates a channel for a user, through the policies, and prints what a Jingle Nodes client needs")
    public Allocation allocate(
            @Descriptor("both parties send RTCP on the RTP port (rtcp-mux, as WebRTC does): RTP ports only")
            @Parameter(names = {"-m", "--rtcp-mux"}, presentValue = "true", absentValue = "false") boolean rtcpMux,
            @Descriptor("side A's IP version, ipv4 or ipv6 (default: the relay's own address)")
            @Parameter(names = {"-a", "--family-a"}, absentValue = "") String familyA,
            @Descriptor("side B's IP version, ipv4 or ipv6 (an IPv4 party bridged to an IPv6 one)")
            @Parameter(names = {"-b", "--family-b"}, absentValue = "") String familyB,
            @Descriptor("the requester's JID, for example alice@example.com") String jid) {
        return allocate(rtcpMux, familyA, familyB, jid, NO_PEER, NO_PEER);
    }

    @Descriptor("Allocates a channel whose side A latches only onto the given peer")
    public Allocation allocate(
            @Descriptor("both parties send RTCP on the RTP port (rtcp-mux, as WebRTC does): RTP ports only")
            @Parameter(names = {"-m", "--rtcp-mux"}, presentValue = "true", absentValue = "false") boolean rtcpMux,
            @Descriptor("side A's IP version, ipv4 or ipv6 (default: the relay's own address)")
            @Parameter(names = {"-a", "--family-a"}, absentValue = "") String familyA,
            @Descriptor("side B's IP version, ipv4 or ipv6 (an IPv4 party bridged to an IPv6 one)")
            @Parameter(names = {"-b", "--family-b"}, absentValue = "") String familyB,
            @Descriptor("the requester's JID, for example alice@example.com") String jid,
            @Descriptor("side A's peer: an IP address, with a port or not (192.0.2.7:4000, '[2001:db8::1]:4000'); - for any")
            String peerA) {
        return allocate(rtcpMux, familyA, familyB, jid, peerA, NO_PEER);
    }

    @Descriptor("Allocates a channel whose sides latch only onto the given peers")
    public Allocation allocate(
            @Descriptor("both parties send RTCP on the RTP port (rtcp-mux, as WebRTC does): RTP ports only")
            @Parameter(names = {"-m", "--rtcp-mux"}, presentValue = "true", absentValue = "false") boolean rtcpMux,
            @Descriptor("side A's IP version, ipv4 or ipv6 (default: the relay's own address)")
            @Parameter(names = {"-a", "--family-a"}, absentValue = "") String familyA,
            @Descriptor("side B's IP version, ipv4 or ipv6 (an IPv4 party bridged to an IPv6 one)")
            @Parameter(names = {"-b", "--family-b"}, absentValue = "") String familyB,
            @Descriptor("the requester's JID, for example alice@example.com") String jid,
            @Descriptor("side A's peer (the requester): an IP address, with a port or not; - for any") String peerA,
            @Descriptor("side B's peer (the other party): an IP address, with a port or not; - for any") String peerB) {
        return attempt("relay:allocate", r -> {
            BareJid user = jid(jid);
            ChannelRequest request = ChannelRequest.of(user, ORIGIN)
                    .withExpectedPeers(peer(Side.A, peerA), peer(Side.B, peerB))
                    .withFamilies(family(Side.A, familyA), family(Side.B, familyB)).withRtcpMux(rtcpMux);
            try {
                return new Allocation(r.allocate(request));
            } catch (RelayDeniedException e) {
                throw new Refusal(Messages.denied(e));
            } catch (IllegalArgumentException e) {
                throw new Refusal(Messages.sentence(String.valueOf(e.getMessage())) + ". Nothing was allocated.");
            }
        });
    }

    @Descriptor("Destroys a channel (reason REQUESTED) and returns its ports to the pool")
    public Destruction destroy(@Descriptor("the channel id, as relay:channels shows it") String id) {
        return attempt("relay:destroy", r -> r.destroy(id).map(c -> new Destruction(c, clock.instant()))
                .orElseThrow(() -> new Refusal(Messages.noSuchChannel(id))));
    }

    @Descriptor("Shows totals since start: channels, denials, traffic, drops by reason, ports, uptime")
    public RelayStats stats() {
        return attempt("relay:stats", RelayService::stats);
    }

    @Descriptor("Lists the bound policies in the order the relay asks them, with ranking and configuration")
    public PolicyList policies() {
        List<PolicyInfo> infos = new ArrayList<>();
        for (BoundPolicy p : policies.values()) {
            infos.add(p.info(this::logFailure));
        }
        return new PolicyList(infos);
    }

    @Descriptor("Shows whether the relay is draining (refusing new channels while live ones run on)")
    public DrainMode drain() {
        return attempt("relay:drain", r -> new DrainMode(r.draining(), r.stats().liveChannels()));
    }

    @Descriptor("Turns drain mode on (no new channels; live ones run to the end) or off")
    public DrainMode drain(@Descriptor("on or off") String mode) {
        return attempt("relay:drain", r -> {
            boolean on = switch (mode.toLowerCase(Locale.ROOT)) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw new Refusal(Messages.invalidDrainMode(mode));
            };
            r.drain(on);
            return new DrainMode(r.draining(), r.stats().liveChannels());
        });
    }

    @Descriptor("Lists the live nodes of the cluster (* this one): addresses, REST URL, channels, free ports, capacity,"
            + " load, heartbeat age")
    public NodeList nodes() {
        Cluster c = cluster;
        if (c == null) {
            return NodeList.ofNodeAlone();
        }
        try {
            return new NodeList(c.localId(), c.available(), c.nodes());
        } catch (RuntimeException e) {
            System.err.println(Messages.failed("relay:nodes", e, logFailure("relay:nodes", e)));
            return null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedPolicy")
    void bindPolicy(RelayPolicy policy, Map<String, Object> properties) {
        BoundPolicy bound = new BoundPolicy(policy, properties);
        policies.put(bound.serviceId(), bound);
    }

    void updatedPolicy(RelayPolicy policy, Map<String, Object> properties) {
        bindPolicy(policy, properties);
    }

    void unbindPolicy(RelayPolicy policy, Map<String, Object> properties) {
        policies.remove(BoundPolicy.serviceId(properties));
    }

    /** Runs a command against the relay; a refusal or failure becomes one line on the error stream. */
    private <T> T attempt(String command, Action<T> action) {
        RelayService r = relay;
        try {
            if (r == null) {
                throw new Refusal(Messages.unavailable());
            }
            return action.run(r);
        } catch (Refusal e) {
            System.err.println(e.getMessage());
        } catch (IllegalStateException e) {
            // RelayService's word for "stopping": expected while the core goes down, not a failure.
            System.err.println(Messages.notRunning(command, e.getMessage()));
        } catch (RuntimeException e) {
            System.err.println(Messages.failed(command, e, logFailure(command, e)));
        }
        return null;
    }

    /** @return the IP version asked for a side, or null for none (the relay's own address) */
    private static AddressFamily family(Side side, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ipv4" -> AddressFamily.IPV4;
            case "ipv6" -> AddressFamily.IPV6;
            default -> throw new Refusal(Messages.invalidFamily(side, text));
        };
    }

    /** @return the peer a side expects, or null for {@value #NO_PEER} (the first source latches) */
    private static ExpectedPeer peer(Side side, String text) {
        if (NO_PEER.equals(text)) {
            return null;
        }
        try {
            return ExpectedPeer.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Messages.invalidPeer(side, e.getMessage()));
        }
    }

    private static BareJid jid(String text) {
        try {
            return BareJid.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Messages.sentence(e.getMessage()) + ".");
        }
    }

    /**
     * Logs a failure with its stack trace to the Log Service. Without one, nothing more is
     * written: standard error is the operator's console here, which gets one line, never a trace.
     *
     * @return whether it was logged
     */
    private boolean logFailure(String what, RuntimeException e) {
        Logger l = logger;
        if (l == null) {
            return false;
        }
        l.warn("{} failed", what, e);
        return true;
    }

    /** The body of a command, given the relay. */
    @FunctionalInterface
    private interface Action<T> {
        T run(RelayService relay);
    }

    /** A command refused: the message is the one line the operator sees. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
