package relay.itest;

import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayService;

/**
 * The relay as these tests run it: the core bound to 127.0.0.1 with ports 27000..27899 (the
 * range of this suite), configured through Config Admin before its bundle starts, as an
 * operator's etc/relay.core.cfg would be.
 */
final class TestRelay {

    static final String CORE_PID = "relay.core";
    static final int PORT_MIN = 27000;
    static final int PORT_MAX = 27899;

    private TestRelay() {
    }

    /** The core configuration of the suite, with {@code overrides} on top. */
    static Map<String, Object> coreConfig(Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bind.address", "127.0.0.1");
        config.put("port.min", PORT_MIN);
        config.put("port.max", PORT_MAX);
        config.putAll(overrides);
        return config;
    }

    /** Configures and starts relay.core (installing it from this build if need be); returns its service. */
    static RelayService start(BundleContext context) {
        if (!new RelayBundles(context).active(RelayBundles.CORE)) {
            new Configs(context).put(CORE_PID, coreConfig(Map.of()));
            new RelayBundles(context).start(RelayBundles.CORE);
        }
        return Services.await(context, RelayService.class);
    }

    /** Destroys every live channel, so that each test starts from an empty relay. */
    static void destroyAll(RelayService relay) {
        for (RelayChannel c : relay.channels()) {
            relay.destroy(c.id());
        }
    }

    /** @return the denial of a request by {@code jid}; fails if the relay allocates a channel instead */
    static RelayDeniedException denial(RelayService relay, String jid) {
        RelayChannel allocated;
        try {
            allocated = relay.allocate(ChannelRequest.of(jid));
        } catch (RelayDeniedException e) {
            return e;
        }
        relay.destroy(allocated.id());
        throw new AssertionError("expected a denial for " + jid + ", the relay allocated " + allocated);
    }

    /** @return whether {@code port} is one of the suite's relay ports */
    static boolean inRange(int port) {
        return port >= PORT_MIN && port <= PORT_MAX;
    }
}
