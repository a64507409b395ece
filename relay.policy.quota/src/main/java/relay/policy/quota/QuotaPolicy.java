package relay.policy.quota;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
import relay.api.RelayChannel;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;
import relay.api.spi.SharedQuota;

/**
 * A {@link RelayPolicy} that limits each user's live channels and, optionally, how many
 * channels the user may allocate per minute.
 *
 * <p>The channel count comes from the relay ({@link PolicyContext#liveChannels(BareJid)}),
 * which evaluates one request per user at a time, so the limit is exact without state here.
 * The rate limit books allocations in {@link #allocated}, still inside that per-user section.
 * Configuration changes apply to the next request; an invalid one is refused with one log
 * line and the previous one stays in force.
 *
 * <p>When a {@link SharedQuota} is registered (the cluster bundle), both limits hold across
 * all nodes: the check and the booking are one atomic step there, and a booking whose channel
 * never came to be is given back. If the shared store cannot answer, the quota counts on this
 * node alone, and the cluster's own policy denies or lets that do (its {@code on.redis.down}).
 */
@Component(name = QuotaPolicy.PID, configurationPid = QuotaPolicy.PID, service = RelayPolicy.class)
@Designate(ocd = QuotaConfig.class)
public class QuotaPolicy implements RelayPolicy {

    /** The component name and configuration PID. */
    public static final String PID = "relay.policy.quota";

    private static final System.Logger FALLBACK_LOG = System.getLogger(PID);

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Logger logger;

    private volatile SharedQuota shared;

    /** Users whose request in flight booked in the shared quota, with the rate it booked. */
    private final Map<BareJid, Integer> bookedInFlight = new ConcurrentHashMap<>();

    private final RequestRateLimiter rate;
    private volatile QuotaSettings settings = QuotaSettings.DEFAULTS;

    /** The component, on the system's monotonic clock. */
    public QuotaPolicy() {
        this(System::nanoTime);
    }

    /** @param nanoClock the rate limit's clock, in nanoseconds */
    QuotaPolicy(LongSupplier nanoClock) {
        rate = new RequestRateLimiter(nanoClock);
    }

    /** @param quota the cluster's shared quota, which both limits then hold across nodes */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindSharedQuota(SharedQuota quota) {
        shared = quota;
    }

    /** @param quota the shared quota that went away: the counts are this node's again */
    public void unbindSharedQuota(SharedQuota quota) {
        if (shared == quota) {
            shared = null;
            bookedInFlight.clear();
        }
    }

    @Activate
    public void activate(QuotaConfig config) {
        configure(config);
    }

    @Modified
    public void modified(QuotaConfig config) {
        configure(config);
    }

    @Deactivate
    public void deactivate() {
        rate.clear();
    }

    @Override
    public String name() {
        return "quota";
    }

    @Override
    public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
        QuotaSettings current = settings;
        BareJid user = request.user();
        int limit = current.channelLimit(user);
        if (limit == 0) {
            return PolicyDecision.deny(user + " may not hold any channel (limit 0)");
        }
        SharedQuota cluster = shared;
        if (cluster != null) {
            try {
                return bookShared(cluster, current, user, limit);
            } catch (SharedQuota.UnavailableException e) {
                // this node's own counts; the cluster's policy decides whether that may do
            }
        }
        int live = context.liveChannels(user);
        if (live >= limit) {
            return PolicyDecision.deny(atLimit(user, live, limit, ""));
        }
        if (current.rateLimited()) {
            Duration wait = rate.waitBefore(user, current.maxRequestsPerMinute());
            if (!wait.isZero()) {
                Duration retryAfter = roundUpToMillis(wait);
                return PolicyDecision.deny(user + " reached the limit of " + current.maxRequestsPerMinute()
                        + " channel allocations per minute; retry in " + wholeSecondsUp(retryAfter) + " s", retryAfter);
            }
        }
        return allow(current, user);
    }

    private PolicyDecision bookShared(SharedQuota cluster, QuotaSettings current, BareJid user, int limit)
            throws SharedQuota.UnavailableException {
        int perMinute = current.rateLimited() ? current.maxRequestsPerMinute() : 0;
        SharedQuota.Booking booking = cluster.book(user, limit, perMinute);
        if (booking.booked()) {
            bookedInFlight.put(user, perMinute);
            return allow(current, user);
        }
        if (!booking.retryAfter().isZero()) {
            Duration retryAfter = roundUpToMillis(booking.retryAfter());
            return PolicyDecision.deny(user + " reached the limit of " + perMinute
                    + " channel allocations per minute on the cluster; retry in " + wholeSecondsUp(retryAfter) + " s",
                    retryAfter);
        }
        return PolicyDecision.deny(atLimit(user, booking.held(), limit, " on the cluster"));
    }

    private static PolicyDecision allow(QuotaSettings current, BareJid user) {
        int kbps = current.kbpsCap(user);
        return kbps == 0 ? PolicyDecision.allow() : PolicyDecision.allow(kbps, 0);
    }

    private static String atLimit(BareJid user, int live, int limit, String where) {
        return user + " already holds " + live + " live channel" + (live == 1 ? "" : "s") + where
                + ", the limit is " + limit;
    }

    @Override
    public void allocated(RelayChannel channel) {
        if (bookedInFlight.remove(channel.owner()) != null) {
            return; // the shared quota booked the channel and the rate in one step
        }
        QuotaSettings current = settings;
        if (current.rateLimited()) {
            rate.record(channel.owner(), current.maxRequestsPerMinute());
        }
    }

    @Override
    public void notAllocated(ChannelRequest request) {
        Integer perMinute = bookedInFlight.remove(request.user());
        SharedQuota cluster = shared;
        if (perMinute != null && cluster != null) {
            cluster.cancel(request.user(), perMinute);
        }
    }

    @Override
    public String describe() {
        QuotaSettings current = settings;
        return "channels per user: " + current.maxChannelsPerUser()
                + ", allocations per user per minute: "
                + (current.rateLimited() ? current.maxRequestsPerMinute() : "no limit")
                + (current.overrides().isEmpty() ? "" : ", overrides: " + current.overrides())
                + (current.maxKbpsPerChannel() == 0 ? "" : ", cap per channel: " + current.maxKbpsPerChannel() + " kbit/s")
                + (current.kbpsOverrides().isEmpty() ? "" : ", cap overrides: " + current.kbpsOverrides());
    }

    /** @return how many users the rate limit holds state for now */
    int rateTrackedUsers() {
        return rate.trackedUsers();
    }

    private synchronized void configure(QuotaConfig config) {
        QuotaSettings next;
        try {
            next = QuotaSettings.from(config);
        } catch (RuntimeException e) { // invalid, or a value DS could not give in its type
            log(System.Logger.Level.ERROR, "Configuration " + PID + " refused, the previous one stays in force: "
                    + e.getMessage());
            return;
        }
        settings = next;
        if (!next.rateLimited()) {
            rate.clear();
        }
        log(System.Logger.Level.INFO, "Relay quota: " + describe());
    }

    private static Duration roundUpToMillis(Duration d) {
        Duration millis = d.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(d) ? d : millis.plusMillis(1);
    }

    private static long wholeSecondsUp(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    private void log(System.Logger.Level level, String message) {
        Logger osgi = logger;
        if (osgi == null) {
            FALLBACK_LOG.log(level, message);
        } else if (level == System.Logger.Level.ERROR) {
            osgi.error(message);
        } else {
            osgi.info(message);
        }
    }
}
