package relay.shell;

import relay.api.ChannelRequest;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.api.spi.RelayPolicy;

/** A real, small policy for the tests: users of one domain are refused. */
class DomainBan implements RelayPolicy {

    private final String domain;

    DomainBan(String domain) {
        this.domain = domain;
    }

    @Override
    public String name() {
        return "ban";
    }

    @Override
    public PolicyDecision evaluate(ChannelRequest request, PolicyContext context) {
        return request.user().domain().equals(domain) ? PolicyDecision.deny("domain " + domain + " is not allowed")
                : PolicyDecision.allow();
    }

    @Override
    public String describe() {
        return "refuses " + domain;
    }
}
