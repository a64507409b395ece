package relay.policy.whitelist;

import java.util.Map;

import relay.testing.ComponentConfig;

/** Builds the real whitelist policy as DS would (its activate method is the bundle's own). */
public final class Whitelists {

    private Whitelists() {
    }

    /** @return the whitelist policy allowing these domains */
    public static WhitelistPolicy of(String... domains) {
        WhitelistPolicy p = new WhitelistPolicy();
        p.activate(ComponentConfig.of(WhitelistConfig.class, Map.of("domains", domains)));
        return p;
    }
}
