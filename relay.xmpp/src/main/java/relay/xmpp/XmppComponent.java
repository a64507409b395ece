package relay.xmpp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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

/**
 * The relay as a Jingle Nodes service (XEP-0278) on an XMPP server: an external component
 * (XEP-0114) that the server routes its domain's stanzas to. Off until PID {@code relay.xmpp} is
 * configured. Any change (server, domain, secret, reconnect delay, pings) starts a new link; the channels allocated through the component are kept across both (they
 * belong to the relay, not to the link). An invalid configuration is refused with one log line,
 * the previous one staying in force.
 */
@Component(name = XmppConfig.PID, configurationPid = XmppConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = XmppComponent.class, immediate = true)
@Designate(ocd = XmppConfig.class)
public class XmppComponent {

    private final Logger logger;
    private final LinkLosses losses = new LinkLosses();
    private volatile RelayService relay;
    private XmppSettings settings;
    private JingleNodes handler;
    private ComponentLink link;
    private String refused = "";

    /**
     * @param logger this component's logger
     * @param config its configuration
     */
    @Activate
    public XmppComponent(@Reference(name = "logger", service = LoggerFactory.class) Logger logger, XmppConfig config) {
        this.logger = logger;
        configure(config);
    }

    @Modified
    void modified(XmppConfig config) {
        configure(config);
    }

    private synchronized void configure(XmppConfig config) {
        XmppSettings next;
        try {
            next = XmppSettings.from(config);
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
            logger.error(e.getMessage() + (settings == null ? "; the component stays off until it is configured"
                    : "; the previous configuration stays in force"));
            return;
        }
        refused = "";
        if (link != null && next.equals(settings)) {
            return;
        }
        if (handler == null || !next.domain().equals(settings.domain())) {
            JingleNodes previous = handler;
            handler = new JingleNodes(next.domain(), () -> relay, logger::warn);
            if (previous != null) {
                handler.adopt(previous);
            }
        }
        if (link != null) {
            link.stop();
        }
        settings = next;
        link = new ComponentLink(next, handler, losses, logger::info, logger::warn);
        link.start();
        logger.info("relay.xmpp: " + next);
    }

    @Deactivate
    synchronized void deactivate() {
        if (link != null) {
            link.stop();
            link = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRelay(RelayService relay) {
        this.relay = relay;
    }

    void unbindRelay(RelayService relay) {
        if (this.relay == relay) {
            this.relay = null;
        }
    }

    /** @return what {@code xmpp:status} shows */
    synchronized Map<String, String> status() {
        Map<String, String> m = new LinkedHashMap<>();
        if (link == null) {
            m.put("state", "off");
        } else {
            m.putAll(link.status());
        }
        m.put("relay", relay == null ? "not available" : "available");
        if (!refused.isEmpty()) {
            m.put("refused configuration", refused);
        }
        return m;
    }

    /** @return the requests answered, by result (every label), or zeros before the first configuration */
    synchronized Map<String, Long> results() {
        if (handler == null) {
            Map<String, Long> m = new LinkedHashMap<>();
            JingleNodes.RESULTS.forEach(r -> m.put(r, 0L));
            return m;
        }
        return handler.results();
    }

    /** @return the authenticated links lost so far, by cause (every cause), across reconfigurations */
    Map<String, Long> linkLosses() {
        return losses.counts();
    }

    synchronized Map<String, java.util.Set<String>> tracked() {
        return handler == null ? Map.of() : handler.tracked();
    }

    /** For tests: the link in force. */
    synchronized ComponentLink link() {
        return link;
    }
}
