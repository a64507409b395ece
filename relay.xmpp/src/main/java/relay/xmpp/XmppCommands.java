package relay.xmpp;

import java.util.Map;
import java.util.Set;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo command of scope {@code xmpp}: {@code status}. */
@Component(immediate = true, service = XmppCommands.class)
@GogoCommand(scope = "xmpp", function = {"status"})
public class XmppCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile XmppComponent component;

    /** For the component runtime. */
    public XmppCommands() {
    }

    XmppCommands(XmppComponent component) {
        this.component = component;
    }

    @Descriptor("Shows the XMPP component's link (its pings, when it last heard from the server), its requests by result"
            + " and the channels it allocated")
    public String status() {
        XmppComponent c = component;
        if (c == null) {
            return "the XMPP component is off (configure PID relay.xmpp)";
        }
        StringBuilder s = new StringBuilder();
        c.status().forEach((k, v) -> s.append(String.format("%-26s %s%n", k, v)));
        s.append("requests:").append(System.lineSeparator());
        c.results().forEach((k, v) -> s.append(String.format("  %-24s %d%n", k, v)));
        Map<String, Set<String>> tracked = c.tracked();
        int n = tracked.values().stream().mapToInt(Set::size).sum();
        s.append(String.format("%-26s %d%n", "channels", n));
        tracked.forEach((jid, ids) -> s.append(String.format("  %-40s %s%n", jid, String.join(",", ids))));
        return s.toString().stripTrailing();
    }
}
