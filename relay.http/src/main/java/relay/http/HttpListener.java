package relay.http;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The API's own HTTP listener, at {@code address:port} of PID {@code relay.http}: a Felix
 * HTTP Jetty instance made from factory configuration {@code org.apache.felix.http~relay.http}
 * and removed when this component stops. Its whiteboard runtime carries
 * {@code relay.http=true}, which is what {@link RestServlet} targets, so the API never
 * lands on (or takes over) any other HTTP server of the framework. With {@code tls.keystore}
 * the instance serves HTTPS only (TLS 1.2 and 1.3), on the same port.
 *
 * <p>Warns in one line when other hosts can reach the listener without TLS or without a token.
 */
@Component(configurationPid = HttpConfig.PID, immediate = true)
@Designate(ocd = HttpConfig.class)
public class HttpListener {

    /** Service property of the whiteboard runtime that serves the API. */
    static final String RUNTIME_PROPERTY = "relay.http";
    static final String FELIX_HTTP_FACTORY_PID = "org.apache.felix.http";
    static final String INSTANCE_NAME = "relay.http";

    private final ConfigurationAdmin configAdmin;
    private final Logger logger;

    private Configuration jetty;
    private HttpSettings settings;

    /**
     * @param configAdmin where the Jetty instance's configuration is made
     * @param logger this component's logger, from the OSGi Log Service
     */
    @Activate
    public HttpListener(@Reference(name = "configAdmin") ConfigurationAdmin configAdmin,
            @Reference(name = "logger", service = LoggerFactory.class) Logger logger) {
        this.configAdmin = configAdmin;
        this.logger = logger;
    }

    @Activate
    void activate(HttpConfig config) throws IOException {
        try {
            settings = HttpSettings.from(config);
        } catch (RuntimeException e) { // invalid, or a value DS could not give in its type
            logger.error(e.getMessage() + "; using the defaults");
            settings = HttpSettings.DEFAULTS;
        }
        jetty = configAdmin.getFactoryConfiguration(FELIX_HTTP_FACTORY_PID, INSTANCE_NAME, "?");
        jetty.update(jettyProperties(settings));
        logger.info("REST API at " + settings.url());
        settings.exposure().ifPresent(logger::warn);
    }

    @Modified
    void modified(HttpConfig config) throws IOException {
        HttpSettings next;
        try {
            next = HttpSettings.from(config);
        } catch (RuntimeException e) {
            logger.error(e.getMessage() + "; the previous configuration stays in force");
            return;
        }
        if (!next.sameListener(settings)) {
            jetty.update(jettyProperties(next));
            logger.info("REST API moves to " + next.url());
        }
        Optional<String> exposure = next.exposure();
        if (exposure.isPresent() && !exposure.equals(settings.exposure())) {
            logger.warn(exposure.get());
        }
        settings = next;
    }

    @Deactivate
    void deactivate() {
        try {
            jetty.delete();
        } catch (IOException | IllegalStateException e) {
            // Config Admin is going away too; the Jetty instance goes with the framework.
            logger.warn("could not remove the REST API's HTTP listener: " + e.getMessage());
        }
    }

    private static Dictionary<String, Object> jettyProperties(HttpSettings s) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.name", INSTANCE_NAME);
        p.put("org.apache.felix.http.host", s.address());
        if (s.tls()) {
            p.put("org.apache.felix.http.enable", false);
            p.put("org.apache.felix.https.enable", true);
            p.put("org.osgi.service.http.port.secure", s.port());
            p.put("org.apache.felix.https.keystore", s.tlsKeystore());
            p.put("org.apache.felix.https.keystore.type", "PKCS12");
            p.put("org.apache.felix.https.keystore.password", s.tlsPassword());
            p.put("org.apache.felix.https.keystore.key.password", s.tlsPassword());
            p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        } else {
            p.put("org.apache.felix.http.enable", true);
            p.put("org.apache.felix.https.enable", false);
            p.put("org.osgi.service.http.port", s.port());
        }
        // WebSocket (Jetty's API) for relay.signal's /signal; a Felix HTTP Jetty without the Jetty
        // WebSocket bundles only warns once.
        p.put("org.apache.felix.jetty.websocket.enable", true);
        // Felix copies "org.apache.felix.http.runtime.init.<key>" onto its runtime service as "<key>".
        p.put("org.apache.felix.http.runtime.init." + RUNTIME_PROPERTY, "true");
        return p;
    }
}
