package relay.signal;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands of scope {@code signal}: {@code pools}, {@code pool <name>},
 * {@code sessions [user]}, {@code kick <endpoint>}. Each prints aligned text; while the node is not
 * running, each says so in one line.
 */
@Component(immediate = true, service = SignalCommands.class)
@GogoCommand(scope = "signal", function = {"pools", "pool", "sessions", "kick"})
public class SignalCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SignalNode node;

    /** For the component runtime. */
    public SignalCommands() {
    }

    SignalCommands(SignalNode node) {
        this.node = node;
    }

    @Descriptor("Lists the pools that have members, with their number of endpoints")
    public String pools() {
        Hub hub = hub();
        if (hub == null) {
            return down();
        }
        List<Hub.PoolInfo> pools = hub.pools();
        if (pools.isEmpty()) {
            return "no pool has members";
        }
        StringBuilder s = new StringBuilder(String.format("%-32s %9s%n", "POOL", "ENDPOINTS"));
        pools.forEach(p -> s.append(String.format("%-32s %9d%n", p.pool(), p.members().size())));
        return s.toString().stripTrailing();
    }

    @Descriptor("Shows the members of one pool: endpoint, user, address, connected, description")
    public String pool(@Descriptor("the pool's name") String name) {
        Hub hub = hub();
        if (hub == null) {
            return down();
        }
        Hub.PoolInfo p = hub.pool(name);
        if (p == null) {
            return "no pool '" + Hub.shown(name) + "' with members";
        }
        return "pool " + p.pool() + ", " + p.members().size() + " endpoint(s)\n" + table(p.members());
    }

    @Descriptor("Lists every live session (endpoint) of the node")
    public String sessions() {
        return sessions(null);
    }

    @Descriptor("Lists the live sessions of one user")
    public String sessions(@Descriptor("the user's bare JID") String user) {
        Hub hub = hub();
        if (hub == null) {
            return down();
        }
        List<Hub.EndpointInfo> all = hub.sessions(user);
        return all.isEmpty() ? "no session" + (user == null ? "" : " of " + Hub.shown(user)) : table(all);
    }

    @Descriptor("Ends an endpoint's session now (its peers see peer-left, its connection closes with 4403)")
    public String kick(@Descriptor("the endpoint id") String endpoint) {
        Hub hub = hub();
        if (hub == null) {
            return down();
        }
        return hub.kick(endpoint) ? "kicked " + endpoint : "no endpoint '" + Hub.shown(endpoint) + "'";
    }

    private static String table(List<Hub.EndpointInfo> rows) {
        StringBuilder s = new StringBuilder(String.format("%-18s %-28s %-16s %-9s %-24s %s%n", "ENDPOINT", "USER", "ADDRESS",
                "CONNECTED", "POOLS", "DESCRIPTION"));
        for (Hub.EndpointInfo e : rows) {
            s.append(String.format("%-18s %-28s %-16s %-9s %-24s %s%n", e.endpoint(), e.user(), e.address(),
                    e.connected() ? "yes" : "resuming", String.join(",", e.pools()), e.description()));
        }
        return s.toString().stripTrailing();
    }

    private Hub hub() {
        SignalNode n = node;
        return n == null ? null : n.hub();
    }

    private static String down() {
        return "the signalling node is not running";
    }
}
