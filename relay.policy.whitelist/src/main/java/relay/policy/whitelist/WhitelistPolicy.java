package relay.policy.whitelist;

import java.util.List;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;

/**
 * A {@link RelayPolicy} that admits only requesters whose domain is on a list. Without a
 * configuration, or with an empty list, it denies every request (fail closed).
 *
 * <p>Configuration changes apply to the next request; an invalid one is refused with one log
 * line and the previous list stays in force.
 */
@Component(name = WhitelistPolicy.PID, configurationPid = WhitelistPolicy.PID, service = RelayPolicy.class)
@Designate(ocd = WhitelistConfig.class)
public class WhitelistPolicy implements RelayPolicy {

    /** The component name and configuration PID. */
    public static final String PID = "relay.policy.whitelist";

    private static final int DESCRIBED_ENTRIES = 10;
    private static final System.Logger FALLBACK_LOG = System.getLogger(PID);

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Logger logger;

    /** Needed only to revoke live channels. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RelayService relay;

    private volatile WhitelistSettings settings = WhitelistSettings.DENY_ALL;
    private boolean warnedEmpty;

    @Activate
    public void activate(WhitelistConfig config) {
        configure(config);
    }

    @Modified
    public void modified(WhitelistConfig config) {
        configure(config);
    }

    @Override
    public String name() {
        return "whitelist";
    }

    @Override
    public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
        WhitelistSettings current = settings;
        BareJid user = request.user();
        if (current.domains().allows(user.domain())) {
            return PolicyDecision.allow();
        }
        if (current.domains().isEmpty()) {
            return PolicyDecision.deny("domain " + shown(user) + " is not allowed: the whitelist is empty");
        }
        return PolicyDecision.deny("domain " + shown(user) + " is not on the whitelist");
    }

    @Override
    public String describe() {
        WhitelistSettings current = settings;
        List<DomainPattern> patterns = current.domains().patterns();
        String revoke = "revoke=" + current.revoke();
        if (patterns.isEmpty()) {
            return "no domains (every request is denied), " + revoke;
        }
        String listed = patterns.stream().limit(DESCRIBED_ENTRIES).map(DomainPattern::toString)
                .collect(Collectors.joining(", "));
        String more = patterns.size() > DESCRIBED_ENTRIES ? " and " + (patterns.size() - DESCRIBED_ENTRIES) + " more" : "";
        return patterns.size() + (patterns.size() == 1 ? " domain: " : " domains: ") + listed + more + ", " + revoke;
    }

    /** Serialised so that two quick updates revoke against the list each one replaced. */
    private synchronized void configure(WhitelistConfig config) {
        WhitelistSettings next;
        try {
            next = WhitelistSettings.from(config);
        } catch (RuntimeException e) { // invalid, or a value DS could not give in its type
            log(System.Logger.Level.ERROR, "Configuration " + PID + " refused, the previous one stays in force: "
                    + e.getMessage());
            return;
        }
        WhitelistSettings previous = settings;
        settings = next;
        if (next.domains().isEmpty()) {
            if (!warnedEmpty) {
                warnedEmpty = true;
                log(System.Logger.Level.WARNING, "The relay whitelist (" + PID + ") has no domains: every channel"
                        + " request is denied until domains are configured");
            }
        } else {
            warnedEmpty = false;
            log(System.Logger.Level.INFO, "Relay whitelist: " + describe());
        }
        if (next.revoke() && !next.domains().patterns().containsAll(previous.domains().patterns())) {
            revokeRemoved(previous.domains(), next.domains());
        }
    }

    /**
     * Hands the destroys of the live channels of owners the previous list allowed and the new one
     * does not over to the relay and returns: a configuration update never waits for sockets.
     */
    private void revokeRemoved(DomainWhitelist previous, DomainWhitelist next) {
        RelayService service = relay;
        if (service == null) {
            log(System.Logger.Level.WARNING, "Cannot revoke channels of removed domains: no RelayService is bound");
            return;
        }
        List<RelayChannel> revoked = service.channels().stream()
                .filter(c -> previous.allows(c.owner().domain()) && !next.allows(c.owner().domain()))
                .toList();
        for (RelayChannel channel : revoked) {
            service.destroyAsync(channel.id(), DestroyReason.REVOKED);
        }
        if (!revoked.isEmpty()) {
            String domains = revoked.stream().map(c -> c.owner().domain()).distinct().sorted()
                    .collect(Collectors.joining(", "));
            log(System.Logger.Level.INFO, "Revoking " + revoked.size() + " live channel(s) of domains removed from the"
                    + " whitelist: " + domains);
        }
    }

    private static String shown(BareJid user) {
        String unicode = user.domainUnicode();
        return unicode.equals(user.domain()) ? user.domain() : user.domain() + " (" + unicode + ")";
    }

    private void log(System.Logger.Level level, String message) {
        Logger osgi = logger;
        if (osgi == null) {
            FALLBACK_LOG.log(level, message);
        } else if (level == System.Logger.Level.ERROR) {
            osgi.error(message);
        } else if (level == System.Logger.Level.WARNING) {
            osgi.warn(message);
        } else {
            osgi.info(message);
        }
    }
}
