package relay.signal;

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

import relay.api.RelayService;
import relay.signal.api.SignalListener;

/**
 * The signalling node of PID {@code relay.signal}: owns the {@link Hub} (and so every session and
 * pool), takes configuration changes at once, binds the relay and the {@link SignalListener}
 * services. The WebSocket and REST servlet ({@link SignalServlet}), the shell and the metrics use
 * it; stopping it ends every session (1001) and its threads.
 */
@Component(service = SignalNode.class, configurationPid = SignalConfig.PID, immediate = true)
@Designate(ocd = SignalConfig.class)
public class SignalNode {

    private final Logger logger;
    private final Events events;
    private final Hub hub;

    /**
     * @param logger this component's logger
     * @param config its configuration
     */
    @Activate
    public SignalNode(@Reference(name = "logger", service = LoggerFactory.class) Logger logger, SignalConfig config) {
        this.logger = logger;
        SignalSettings settings;
        try {
            settings = SignalSettings.from(config);
        } catch (RuntimeException e) {
            logger.error(e.getMessage() + "; using the defaults");
            settings = SignalSettings.DEFAULTS;
        }
        settings = withSecret(settings);
        this.events = new Events(logger::warn);
        this.hub = new Hub(settings, events, logger::warn);
        connect(settings);
        report(settings);
    }

    /** The secret of this run, made when neither jwt.secret nor jwt.public.key is configured. */
    private byte[] ephemeral;

    /** With no key configured, the node signs with a random secret of its own: tokens last until it stops. */
    private SignalSettings withSecret(SignalSettings s) {
        if (s.checksTokens()) {
            return s;
        }
        if (ephemeral == null) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            ephemeral = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            logger.warn("relay.signal: neither jwt.secret nor jwt.public.key is set: tokens are signed with a random"
                    + " secret of this run (POST /signal/tokens), and none survives a restart");
        }
        return s.withSecret(ephemeral);
    }

    private void report(SignalSettings s) {
        logger.info("signalling node at /signal: " + s);

    }

    @Modified
    void modified(SignalConfig config) {
        SignalSettings next;
        try {
            next = SignalSettings.from(config);
        } catch (RuntimeException e) {
            logger.error(e.getMessage() + "; the previous configuration stays in force");
            return;
        }
        next = withSecret(next);
        hub.configure(next);
        connect(next);
        report(next);
    }

    private RedisBus bus;
    private String busKey = "";

    /** Joins the other nodes over Redis when redis.uri says so, leaves them when it no longer does. */
    private synchronized void connect(SignalSettings s) {
        String key = s.redisUri().isEmpty() ? "" : s.redisUri() + " " + s.redisChannel();
        if (key.equals(busKey)) {
            return;
        }
        if (bus != null) {
            hub.useBus(null);
            bus.stop();
            bus = null;
        }
        busKey = key;
        if (!key.isEmpty()) {
            bus = new RedisBus(java.net.URI.create(s.redisUri()), s.redisChannel(), hub::remote, hub::subscribed, logger::warn,
                    logger::info);
            hub.useBus(bus);
            bus.start();
            logger.info("relay.signal: node " + hub.nodeId() + " joins the others on Redis channel " + s.redisChannel());
        }
    }

    @Deactivate
    void deactivate() {
        hub.stop();
        synchronized (this) {
            if (bus != null) {
                bus.stop();
                bus = null;
            }
        }
        events.stop();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRelay(RelayService relay) {
        hub.useRelay(relay);
    }

    void unbindRelay(RelayService relay) {
        hub.dropRelay(relay);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(SignalListener listener) {
        events.add(listener);
    }

    void removeListener(SignalListener listener) {
        events.remove(listener);
    }

    Hub hub() {
        return hub;
    }

    Logger logger() {
        return logger;
    }
}
