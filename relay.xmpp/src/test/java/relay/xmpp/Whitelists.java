package relay.xmpp;

import java.util.Map;

import relay.policy.whitelist.WhitelistConfig;
import relay.policy.whitelist.WhitelistPolicy;
import relay.testing.ComponentConfig;

/** Builds the real whitelist policy as DS would. */
final class Whitelists {

    private Whitelists() {
    }

    /** @return the whitelist policy allowing these domains */
    static WhitelistPolicy of(String... domains) {
        WhitelistPolicy p = new WhitelistPolicy();
        p.activate(ComponentConfig.of(WhitelistConfig.class, Map.of("domains", domains)));
        return p;
    }
}
